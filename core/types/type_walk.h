// The one walk over a type's tree, for everything that goes through a value
// member by member and leaf by leaf: typed text and JSON, table columns,
// per-CPU folding, completion skeletons. The walk knows where each node
// sits (its bit offset, and a bitfield's width) and how C reads members;
// the visitor says what to do at each node.
#ifndef BPFMAP_CORE_TYPES_TYPE_WALK_H_
#define BPFMAP_CORE_TYPES_TYPE_WALK_H_

#include <cstdint>

#include "core/types/type_node.h"
#include "core/types/typed_scalar.h"

namespace bpfmap {

// What the walk does with one member of a struct or union.
enum class MemberWalk {
  kWalk,    // walk the member's value
  kSplice,  // walk its members as if they were the record's own
  kSkip,    // pass over it
};

// How C reads a member: an anonymous struct or union's members belong to
// the record around it; an unnamed scalar is a padding bitfield.
inline MemberWalk CMemberWalk(const Field& field) {
  if (!field.name.empty()) return MemberWalk::kWalk;
  return IsScalar(*field.type) ? MemberWalk::kSkip : MemberWalk::kSplice;
}

// A visitor that does nothing: derive from it and hide what you need.
// EnterRecord and EnterArray return false to pass over the insides (the
// visitor has dealt with the whole node, a char array as a string, say).
struct TypeVisitor {
  bool EnterRecord(const TypeNode&, LeafPlace) { return true; }
  // Before each member of the record being walked.
  MemberWalk Member(const Field& field, LeafPlace) {
    return CMemberWalk(field);
  }
  void LeaveRecord(const TypeNode&) {}
  bool EnterArray(const TypeNode&, LeafPlace) { return true; }
  // Before each element of the array being walked.
  void Element(uint32_t) {}
  void LeaveArray(const TypeNode&) {}
  // A scalar: an int, bool, char, enum, pointer or float (maybe a
  // bitfield); or any node with a LeafFormat (IsLeaf()).
  void Leaf(const TypeNode&, LeafPlace) {}
};

template <typename Visitor>
void WalkType(const TypeNode& type, LeafPlace place, Visitor& visitor);

// The members of the struct or union `type` at `place`, without entering
// or leaving it.
template <typename Visitor>
void WalkMembers(const TypeNode& type, LeafPlace place, Visitor& visitor) {
  for (const Field& field : type.fields) {
    LeafPlace member{place.bit_offset + field.bit_offset, field.bit_size};
    switch (visitor.Member(field, member)) {
      case MemberWalk::kWalk:
        WalkType(*field.type, member, visitor);
        break;
      case MemberWalk::kSplice:
        WalkMembers(*field.type, member, visitor);
        break;
      case MemberWalk::kSkip:
        break;
    }
  }
}

// Walks `type`, whose value sits at `place`, calling `visitor` (a
// TypeVisitor or anything with its members) at each node, in memory order.
template <typename Visitor>
void WalkType(const TypeNode& type, LeafPlace place, Visitor& visitor) {
  if (type.format != LeafFormat::kNone) {  // an address, a MAC, text...
    visitor.Leaf(type, place);
    return;
  }
  switch (type.kind) {
    case TypeKind::kStruct:
    case TypeKind::kUnion:
      if (!visitor.EnterRecord(type, place)) return;
      WalkMembers(type, place, visitor);
      visitor.LeaveRecord(type);
      return;
    case TypeKind::kArray:
      if (!visitor.EnterArray(type, place)) return;
      for (uint32_t i = 0; i < type.count; ++i) {
        visitor.Element(i);
        WalkType(*type.element,
                 LeafPlace{place.bit_offset + i * type.element->size * 8, 0},
                 visitor);
      }
      visitor.LeaveArray(type);
      return;
    default:
      visitor.Leaf(type, place);
      return;
  }
}

// Whether a value of `type` holds a struct bpf_spin_lock anywhere (which
// BPF_F_LOCK reads and writes under).
inline bool HoldsSpinLock(const TypeNode& type) {
  struct Finder : TypeVisitor {
    bool found = false;
    bool EnterRecord(const TypeNode& record, LeafPlace) {
      if (record.name == "struct bpf_spin_lock") found = true;
      return !found;
    }
  } finder;
  WalkType(type, LeafPlace{}, finder);
  return finder.found;
}

// Whether a value of `type` holds fields only the kernel may read: a lock,
// a timer, a work item, list or tree heads and nodes, a refcount, or a
// pointer (in a map value, a kptr). A lookup zeroes them in the copy it
// hands over; a BPF iterator would hand them over as they are.
inline bool HoldsKernelFields(const TypeNode& type) {
  struct Finder : TypeVisitor {
    bool found = false;
    bool EnterRecord(const TypeNode& record, LeafPlace) {
      static const char* const kKernelStructs[] = {
          "struct bpf_spin_lock", "struct bpf_res_spin_lock",
          "struct bpf_timer",     "struct bpf_wq",
          "struct bpf_list_head", "struct bpf_list_node",
          "struct bpf_rb_root",   "struct bpf_rb_node",
          "struct bpf_refcount",  "struct bpf_task_work"};
      for (const char* name : kKernelStructs) {
        if (record.name == name) found = true;
      }
      return !found;
    }
    void Leaf(const TypeNode& leaf, LeafPlace) {
      if (leaf.kind == TypeKind::kPointer) found = true;
    }
  } finder;
  WalkType(type, LeafPlace{}, finder);
  return finder.found;
}

}  // namespace bpfmap

#endif  // BPFMAP_CORE_TYPES_TYPE_WALK_H_
