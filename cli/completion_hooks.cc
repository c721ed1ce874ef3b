#include "cli/completion_hooks.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <string_view>

#include <linux/bpf.h>
#include <net/if.h>

#include "core/kernel/map_btf.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/map_list.h"
#include "core/kernel/storage_keys.h"
#include "core/model/map_ref.h"
#include "core/model/map_types.h"
#include "core/model/reference_values.h"
#include "core/types/leaf_formats.h"
#include "core/types/type_paths.h"
#include "core/types/type_walk.h"

namespace bpfmap::cli {
namespace {

// A typed value to fill in: every member and element, zeros, the first
// enumerator, empty strings; a union by its first member.
struct SkeletonWriter : public TypeVisitor {
  explicit SkeletonWriter(std::string& out) : out(out) {}

  bool EnterRecord(const TypeNode& type, LeafPlace) {
    Open('{');
    unions.push_back(type.kind == TypeKind::kUnion);
    return true;
  }
  MemberWalk Member(const Field& field, LeafPlace) {
    MemberWalk walk = CMemberWalk(field);
    if (walk != MemberWalk::kWalk) return walk;
    if (unions.back() && members.back() > 0) return MemberWalk::kSkip;
    Separate();
    out += '"' + field.name + "\": ";
    return walk;
  }
  void LeaveRecord(const TypeNode&) {
    unions.pop_back();
    Close('}');
  }
  bool EnterArray(const TypeNode& type, LeafPlace) {
    if (IsCharArray(type)) {
      out += "\"\"";
      return false;
    }
    unions.push_back(false);
    Open('[');
    return true;
  }
  void Element(uint32_t) { Separate(); }
  void LeaveArray(const TypeNode&) {
    unions.pop_back();
    Close(']');
  }
  void Leaf(const TypeNode& type, LeafPlace) {
    if (type.kind == TypeKind::kEnum && !type.enumerators.empty()) {
      out += '"' + type.enumerators[0].name + '"';
    } else {
      out += type.kind == TypeKind::kBool ? "false" : "0";
    }
  }

  void Open(char c) {
    out += c;
    members.push_back(0);
  }
  void Close(char c) {
    out += c;
    members.pop_back();
  }
  // ", " before every member or element but the first.
  void Separate() {
    if (members.back()++ > 0) out += ", ";
  }

  std::string& out;
  std::vector<size_t> members;  // written so far, per open record or array
  std::vector<bool> unions;     // whether each open one is a union
};

// What may be typed after `key` or `value` for the map `ref`.
void AddTypedValue(std::vector<std::string>& out, const MapRef& ref,
                   bool is_key, const std::string& cur) {
  Result<MapHandle> map = MapHandle::Open(ref, OpenMode::kReadOnly);
  if (!map.ok()) return;
  Result<MapTypes> types = LoadMapTypes(map->info());
  if (!types.ok()) return;
  const TypeRef& type = is_key ? types->key : types->value;
  if (!type) return;
  if (type->kind == TypeKind::kEnum) {
    for (const Enumerator& e : type->enumerators) AddMatching(out, e.name, cur);
    return;
  }
  if (type->kind == TypeKind::kBool) {
    AddMatching(out, "true", cur);
    AddMatching(out, "false", cur);
    return;
  }
  if (IsScalar(*type)) return;  // any number
  std::string skeleton;
  SkeletonWriter writer(skeleton);
  WalkType(*type, LeafPlace{}, writer);
  std::string quoted = "'" + skeleton + "'";
  if (StartsWith(quoted, cur) || StartsWith(skeleton, cur)) {
    out.push_back(quoted);
  }
}

// Reads MAP from args[0...]; returns how many words it took (0 if none yet).
size_t MapWords(const std::vector<std::string>& args, MapRef& ref) {
  if (args.empty()) return 0;
  size_t pos = 0;
  Result<MapRef> parsed = ParseMapRef(args, pos);
  if (!parsed.ok()) return 0;
  ref = *parsed;
  return pos;
}

void AddMapStart(std::vector<std::string>& out, const std::string& cur) {
  for (const char* word : {"id", "name", "pinned"}) AddMatching(out, word, cur);
  if (Result<std::vector<PinnedMap>> pinned = ListPinnedMaps({});
      pinned.ok()) {
    for (const PinnedMap& map : *pinned) AddMatching(out, map.path, cur);
  }
}

// Whether `keyword` was given among the words after MAP.
bool Given(const CompletionContext& ctx, size_t from, std::string_view keyword) {
  return std::find(ctx.args.begin() + from, ctx.args.end(), keyword) !=
         ctx.args.end();
}

// MAP, then what `then` adds once MAP is complete (its words counted).
template <typename Then>
void CompleteMapThen(const CompletionContext& ctx,
                     std::vector<std::string>& out, Then then) {
  const std::vector<std::string>& args = ctx.args;
  const std::string& cur = ctx.cur;
  MapRef ref;
  size_t map_words = MapWords(args, ref);
  if (map_words > 0) {
    then(ref, map_words);
    return;
  }
  if (args.empty()) {
    AddMapStart(out, cur);
  } else if (args.size() == 1 && (args[0] == "id" || args[0] == "name")) {
    if (Result<std::vector<MapInfo>> live = ListLiveMaps(); live.ok()) {
      for (const MapInfo& info : *live) {
        if (args[0] == "id") {
          AddMatching(out, std::to_string(info.id), cur);
        } else if (!info.name.empty() &&
                   std::find(out.begin(), out.end(), info.name) == out.end()) {
          AddMatching(out, info.name, cur);
        }
      }
    }
  } else if (args.size() == 1 && args[0] == "pinned") {
    if (Result<std::vector<PinnedMap>> pinned = ListPinnedMaps({});
        pinned.ok()) {
      for (const PinnedMap& map : *pinned) AddMatching(out, map.path, cur);
    }
  }
}

// The names of the machine's network interfaces.
void AddInterfaces(std::vector<std::string>& out, const std::string& cur) {
  struct if_nameindex* interfaces = if_nameindex();
  if (interfaces == nullptr) return;
  for (struct if_nameindex* i = interfaces; i->if_index != 0; ++i) {
    AddMatching(out, i->if_name, cur);
  }
  if_freenameindex(interfaces);
}

// Words that name the object a key or value refers to: storage keys (pid
// PID, cgroup PATH, ...), reference values (id, pinned, name; dev IFNAME).
// Returns whether it completed the word.
bool CompleteObjectWords(const CompletionContext& ctx, size_t map_words,
                         const MapInfo& info, std::vector<std::string>& out) {
  const std::vector<std::string>& args = ctx.args;
  if (args.size() <= map_words) return false;
  const std::string& prev = args.back();
  const std::string& before =
      args.size() >= map_words + 2 ? args[args.size() - 2] : "";
  if (IsLocalStorage(info.type)) {
    std::string grammar = StorageKeyGrammar(info.type);
    if (prev == "key") {
      AddMatching(out, grammar.substr(0, grammar.find(' ')), ctx.cur);
      return true;
    }
    if (before == "key" && (prev == "cgroup" || prev == "file")) {
      AddFiles(out, ctx.cur, /*directories_only=*/prev == "cgroup");
      return true;
    }
    if (before == "key") return true;  // a pid: any number
  }
  const ReferenceValue* ref = ReferenceValueOf(info.type, info.value_size);
  if (ref == nullptr) return false;
  bool devmap = info.type == BPF_MAP_TYPE_DEVMAP ||
                info.type == BPF_MAP_TYPE_DEVMAP_HASH;
  if (prev == "value") {
    if (devmap) {
      AddMatching(out, "dev", ctx.cur);
    } else if (ref->kind == ReferenceKind::kMap ||
               ref->kind == ReferenceKind::kProgram) {
      for (const char* word : {"id", "pinned", "name"}) {
        AddMatching(out, word, ctx.cur);
      }
    }
    return false;  // the typed skeleton too
  }
  if (before == "value" && prev == "dev") {
    AddInterfaces(out, ctx.cur);
    return true;
  }
  if ((before == "value" || before == "prog") && prev == "pinned") {
    AddFiles(out, ctx.cur, /*directories_only=*/false);
    return true;
  }
  return false;
}

// get, put, del: MAP, then the element words the map's type takes and
// that were not given yet; after key/value, the typed skeleton.
void CompleteElement(const CompletionContext& ctx,
                     std::vector<std::string>& out, bool put) {
  CompleteMapThen(ctx, out, [&](const MapRef& ref, size_t map_words) {
    const std::string& prev = ctx.args.empty() ? "" : ctx.args.back();
    Result<MapHandle> map = MapHandle::Open(ref, OpenMode::kReadOnly);
    if (map.ok() && CompleteObjectWords(ctx, map_words, map->info(), out)) {
      return;
    }
    if (ctx.args.size() > map_words &&
        (prev == "key" || prev == "value" || prev == "values")) {
      AddTypedValue(out, ref, prev == "key", ctx.cur);
      return;
    }
    MapAccess access = map.ok() ? AccessOf(map->info().type) : MapAccess::kKeyed;
    bool user_ring = map.ok() && map->info().type == BPF_MAP_TYPE_USER_RINGBUF;
    if (user_ring) access = MapAccess::kQueue;  // value only
    std::vector<std::string_view> keywords;
    bool value_given = Given(ctx, map_words, "value") ||
                       Given(ctx, map_words, "values");
    if (access == MapAccess::kKeyed && !Given(ctx, map_words, "key")) {
      keywords.push_back("key");
    }
    if ((put || access == MapAccess::kBloomFilter) && !value_given) {
      keywords.push_back("value");
      if (put && access == MapAccess::kKeyed) keywords.push_back("values");
    }
    if (put && access != MapAccess::kBloomFilter && !user_ring &&
        !Given(ctx, map_words, "any") && !Given(ctx, map_words, "exist") &&
        !Given(ctx, map_words, "noexist")) {
      keywords.insert(keywords.end(), {"any", "exist", "noexist"});
    }
    // lock: for values that may hold a bpf_spin_lock (they have BTF).
    if (put && access == MapAccess::kKeyed && map.ok() &&
        map->info().btf_value_type_id != 0 && !Given(ctx, map_words, "lock")) {
      keywords.push_back("lock");
    }
    for (std::string_view keyword : keywords) AddMatching(out, keyword, ctx.cur);
  });
}

}  // namespace

void CompleteDirectories(const CompletionContext& ctx,
                         std::vector<std::string>& out) {
  AddFiles(out, ctx.cur, /*directories_only=*/true);
}

void CompleteMapOnly(const CompletionContext& ctx,
                     std::vector<std::string>& out) {
  CompleteMapThen(ctx, out, [](const MapRef&, size_t) {});
}

void CompleteDiff(const CompletionContext& ctx, std::vector<std::string>& out) {
  // The words of the first side: a map reference's, or one file.
  std::vector<std::string> rest = ctx.args;
  if (!rest.empty()) {
    MapRef ref;
    size_t first = MapWords(rest, ref);
    bool keyword = rest[0] == "id" || rest[0] == "name" || rest[0] == "pinned";
    if (first == 0 && keyword) {  // completing the first side's value
      CompleteMapOnly(ctx, out);
      return;
    }
    rest.erase(rest.begin(),
               rest.begin() + static_cast<std::ptrdiff_t>(first > 0 ? first
                                                                     : 1));
  }
  if (rest.size() > 1 ||
      (rest.size() == 1 && rest[0] != "id" && rest[0] != "name" &&
       rest[0] != "pinned")) {
    return;  // both sides given
  }
  if (rest.empty()) {
    AddMapStart(out, ctx.cur);
    AddFiles(out, ctx.cur, /*directories_only=*/false);
    return;
  }
  CompleteMapOnly(CompletionContext{rest, ctx.cur}, out);
}

namespace {

// The fields of a map: its types, and the nodes that point into them.
struct NamedFields {
  MapTypes types;
  std::vector<NamedNode> nodes;
};

// The fields of the map `args` name, where they name one already.
NamedFields FieldsOfNamedMap(const std::vector<std::string>& args) {
  NamedFields fields;
  size_t pos = 0;
  Result<MapRef> ref = ParseMapRef(args, pos);
  if (ref.ok()) {
    Result<MapHandle> map = MapHandle::Open(*ref, OpenMode::kReadOnly);
    if (map.ok()) {
      Result<MapTypes> types = LoadMapTypes(map->info());
      if (types.ok()) {
        fields.types = std::move(*types);
        fields.nodes = NamedNodes(fields.types);
      }
    }
  }
  return fields;
}

// Each field's path, and its name alone where no other field has it, each
// after `done` and followed by `then`.
void AddFieldNames(const std::vector<NamedNode>& nodes,
                   const std::string& done, std::string_view then,
                   const std::string& cur, std::vector<std::string>& out) {
  for (const NamedNode& node : nodes) {
    AddMatching(out, done + node.path + std::string(then), cur);
    std::string name = node.path.substr(node.path.rfind('.') + 1);
    if (name != node.path && FindNamedNode(nodes, name, "").ok()) {
      AddMatching(out, done + name + std::string(then), cur);
    }
  }
}

}  // namespace

void CompleteFields(const std::vector<std::string>& args,
                    const std::string& cur, std::vector<std::string>& out,
                    bool expression, bool rates) {
  std::string done;
  if (expression) {
    size_t cut = cur.find_last_of(" \t()!=<>~&|,");
    if (cut != std::string::npos) done = cur.substr(0, cut + 1);
  }
  NamedFields fields = FieldsOfNamedMap(args);
  const std::vector<NamedNode>& nodes = fields.nodes;
  AddFieldNames(nodes, done, "", cur, out);
  if (!rates) return;
  for (const NamedNode& node : nodes) {
    if (node.path.rfind("value", 0) != 0 || !IsNumericLeaf(*node.type)) {
      continue;
    }
    std::string name = node.path == "value" ? "value" : node.path.substr(6);
    AddMatching(out, "rate(" + name + ")", cur);
  }
}

void CompleteFormats(const std::vector<std::string>& args,
                     const std::string& cur, std::vector<std::string>& out) {
  size_t comma = cur.rfind(',');
  std::string done = comma == std::string::npos ? "" : cur.substr(0, comma + 1);
  std::string part = cur.substr(done.size());
  NamedFields fields = FieldsOfNamedMap(args);
  const std::vector<NamedNode>& nodes = fields.nodes;
  size_t equals = part.find('=');
  if (equals != std::string::npos) {
    std::string field = part.substr(0, equals);
    Result<NamedNode> node = FindNamedNode(nodes, field, "--fmt");
    std::vector<std::string_view> kinds =
        node.ok() ? FormatNamesFitting(*node) : LeafFormatNames();
    for (std::string_view kind : kinds) {
      AddMatching(out, done + field + "=" + std::string(kind), cur);
    }
    return;
  }
  if (done.empty()) AddMatching(out, "none", cur);
  AddFieldNames(nodes, done, "=", cur, out);
}

void CompletePin(const CompletionContext& ctx, std::vector<std::string>& out) {
  CompleteMapThen(ctx, out, [&](const MapRef&, size_t map_words) {
    if (ctx.args.size() == map_words) {
      AddFiles(out, ctx.cur, /*directories_only=*/true);
    }
  });
}

void CompleteGetOrDel(const CompletionContext& ctx,
                      std::vector<std::string>& out) {
  CompleteElement(ctx, out, /*put=*/false);
}

void CompletePut(const CompletionContext& ctx, std::vector<std::string>& out) {
  CompleteElement(ctx, out, /*put=*/true);
}

void CompleteCreate(const CompletionContext& ctx,
                    std::vector<std::string>& out) {
  const std::vector<std::string>& args = ctx.args;
  const std::string& cur = ctx.cur;
  if (args.empty()) {
    AddFiles(out, cur, /*directories_only=*/true);
    return;
  }
  // The words after PATH, a keyword and its value at a time; inner_map's
  // value is a MAP of one or two words.
  for (size_t pos = 1; pos < args.size();) {
    const std::string& keyword = args[pos];
    if (keyword == "inner_map") {
      std::vector<std::string> rest(args.begin() + pos + 1, args.end());
      MapRef ref;
      size_t map_words = MapWords(rest, ref);
      if (map_words == 0) {
        CompleteMapThen({rest, cur}, out, [](const MapRef&, size_t) {});
        return;
      }
      pos += 1 + map_words;
      continue;
    }
    if (pos + 1 < args.size()) {
      pos += 2;
      continue;
    }
    if (keyword == "type") {
      for (const MapTypeInfo& type : AllMapTypes()) {
        AddMatching(out, type.name, cur);
      }
    } else if (keyword == "flags") {
      size_t comma = cur.rfind(',');
      std::string head =
          comma == std::string::npos ? "" : cur.substr(0, comma + 1);
      std::string tail = comma == std::string::npos ? cur : cur.substr(comma + 1);
      for (const MapFlagInfo& flag : AllMapFlags()) {
        // Not a flag the word already has.
        bool had = ("," + head).find("," + std::string(flag.name) + ",") !=
                   std::string::npos;
        if (!had && StartsWith(flag.name, tail)) {
          out.push_back(head + std::string(flag.name));
        }
      }
    } else if (keyword == "key" || keyword == "value") {
      for (const std::string& type : ScalarTypeNames()) {
        AddMatching(out, type, cur);
      }
    }
    return;
  }
  for (const char* keyword :
       {"type", "key", "value", "entries", "name", "flags"}) {
    if (!Given(ctx, 1, keyword)) AddMatching(out, keyword, cur);
  }
  // inner_map only where the type takes one (or before the type is known).
  bool of_maps = true;
  for (size_t i = 1; i + 1 < args.size(); ++i) {
    if (args[i] == "type") {
      Result<const MapTypeInfo*> type = ParseMapType(args[i + 1]);
      of_maps = type.ok() && IsMapOfMaps((*type)->type);
    }
  }
  if (of_maps && !Given(ctx, 1, "inner_map")) {
    AddMatching(out, "inner_map", cur);
  }
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

void AddMatching(std::vector<std::string>& out, std::string_view candidate,
                 std::string_view cur) {
  if (StartsWith(candidate, cur)) out.emplace_back(candidate);
}

void AddFiles(std::vector<std::string>& out, const std::string& cur,
              bool directories_only) {
  size_t slash = cur.rfind('/');
  std::string dir = slash == std::string::npos ? "." : cur.substr(0, slash + 1);
  std::string shown = slash == std::string::npos ? "" : dir;
  std::string prefix = slash == std::string::npos ? cur : cur.substr(slash + 1);
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> found;
  while (struct dirent* entry = readdir(d)) {
    std::string name = entry->d_name;
    if (name == "." || name == ".." || !StartsWith(name, prefix)) continue;
    if (name[0] == '.' && prefix.empty()) continue;
    struct stat st {};
    bool is_dir = stat((dir + "/" + name).c_str(), &st) == 0 &&
                  S_ISDIR(st.st_mode);
    if (directories_only && !is_dir) continue;
    found.push_back(shown + name + (is_dir ? "/" : ""));
  }
  closedir(d);
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

std::vector<std::string> ScalarTypeNames() {
  return {"u8",   "u16",  "u32",   "u64",    "s8",    "s16",  "s32",
          "s64",  "bool", "char[", "__be16", "__be32", "__be64", "int",
          "float", "double", "struct ", "union ", "enum ", "typedef "};
}

}  // namespace bpfmap::cli
