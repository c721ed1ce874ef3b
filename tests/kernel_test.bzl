"""kernel_cc_test: a test that runs the built binary against the real kernel."""

load("@rules_cc//cc:defs.bzl", "cc_test")

def kernel_cc_test(name, srcs, deps = [], data = [], **kwargs):
    """A cc_test that runs unsandboxed, uncached, with bpfmap as data.

    bpf() is EPERM inside Bazel's sandbox, hence "local"; results depend on
    the kernel rather than only on the inputs, hence "external" (never
    cached). "medium" (300 s): each case runs the binary many times, which
    under --config=asan on a shared 2-core machine outgrows small's 60 s.
    """
    cc_test(
        name = name,
        srcs = srcs,
        data = data + ["//cli:bpfmap"],
        size = "medium",
        tags = ["local", "external"],
        deps = deps + [
            "//tests:kernel_test_env",
            "//third_party:gtest_main",
            "//third_party:libbpf",
            "//third_party:nlohmann_json",
        ],
        **kwargs
    )
