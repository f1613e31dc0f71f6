# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: configures and builds a clang build with
# sanitizers, warnings as errors and -O1 (the sanitizers' own advice; the test drivers get -O0,
# see tests/CMakeLists.txt).
#   sanitized_build address [targets...]   build-asan/: ASan + UBSan, with libFuzzer's coverage
#                                          instrumentation, so that the fuzz targets share it
#   sanitized_build thread [targets...]    build-tsan/: TSan
# The benchmarks and the browser tests are left out (see the README).

sanitized_build() {
  local kind="$1"
  shift
  local dir fuzz
  if [ "$kind" = address ]; then
    dir=build-asan
    fuzz=ON
  else
    dir=build-tsan
    fuzz=OFF
  fi
  CC=clang CXX=clang++ cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DNEUVO_SANITIZE="$kind" -DNEUVO_FUZZ="$fuzz" \
    -DNEUVO_WERROR=ON -DNEUVO_BROWSER_TESTS=OFF -DNEUVO_BENCHMARKS=OFF >/dev/null
  local targets=()
  for target in "$@"; do
    targets+=(--target "$target")
  done
  cmake --build "$dir" -j "$(nproc)" "${targets[@]}"
}
