#include <cstdio>

#include "cli/run.h"

int main(int argc, char** argv) {
  return bpfmap::cli::Run(argc, argv, stdout, stderr);
}
