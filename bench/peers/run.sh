#!/usr/bin/env bash
# FastBackprop side by side with PyTorch (Debian's python3-torch 1.13), libtorch (libtorch-dev) and FANN 2.2
# (libfann-dev) on the workloads W1-W5 of DESIGN.md, at 1 and 2 threads, plus a gradient cross-check against
# PyTorch. Installs the Debian packages it needs (apt-get; root or sudo), builds the harnesses into a temporary
# directory, runs everything and writes one Markdown report. Not run by CI. See bench/peers/README.md.
#
#   bench/peers/run.sh [--quick] [--out FILE] [--note TEXT] [--build-dir DIR]
#
#   --quick      a couple of minutes: short warm-up, 5 samples of >= 20 ms (default: 1 s warm-up, 21 samples of >= 100 ms)
#   --out FILE   the report (default bench/peers/results.md)
#   --note TEXT  a line printed at the top of the report (say, "taken under load (development run)")
#   --build-dir  where harnesses, exports and raw results go (default /tmp/fastbackprop-peers)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# The command as typed, for the report: arguments with spaces or quotes in double quotes.
quote() { if [[ $1 =~ ^[A-Za-z0-9_./=:,+-]+$ ]]; then printf ' %s' "$1"; else printf ' "%s"' "${1//\"/\\\"}"; fi; }
command_line="bench/peers/run.sh$(for a in "$@"; do quote "$a"; done)"
quick=0 out="$here/results.md" note="" build="${TMPDIR:-/tmp}/fastbackprop-peers"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --out) out="$(realpath -m "$2")"; shift 2 ;;
    --note) note="$2"; shift 2 ;;
    --build-dir) build="$(realpath -m "$2")"; shift 2 ;;
    *) echo "run.sh: unknown argument '$1'; expected --quick, --out FILE, --note TEXT or --build-dir DIR" >&2; exit 2 ;;
  esac
done

if [[ $quick == 1 ]]; then
  warmup=0.2 min_sample=0.02 samples=5 slow_samples=3
else
  warmup=1 min_sample=0.1 samples=21 slow_samples=7
fi
# Debian's torch lives in /usr/lib/python3/dist-packages: a pyenv or venv python first on PATH cannot see it.
python=/usr/bin/python3
started=$(date +%s)
# The commit measured (read now: the tree may change while the run goes on); +dirty if tracked files differ from it.
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$root" diff --quiet HEAD -- . ':!bench/peers/results.md' 2>/dev/null || commit="$commit+dirty"
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# 1. Debian packages (idempotent: only missing ones are installed). libopenblas0-pthread matters: without it
#    torch falls back to the reference BLAS and is absurdly slow.
packages=(python3-torch libtorch-dev libfann-dev python3-numpy libopenblas0-pthread cmake g++ make)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  log "installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi
command -v dotnet >/dev/null || { echo "run.sh: dotnet not found; install the .NET SDK that global.json names" >&2; exit 1; }

# 2. Build the harnesses (outside the source tree).
mkdir -p "$build"
# CMake refuses a build folder configured from another checkout's sources: start that part afresh.
if [[ -f "$build/native/CMakeCache.txt" ]] && ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$here" "$build/native/CMakeCache.txt"; then
  rm -rf "$build/native"
fi
log "building FastBackprop.Peers"
dotnet build "$here/FastBackprop.Peers/FastBackprop.Peers.csproj" -c Release -o "$build/fb" -nologo -v q >"$build/dotnet-build.log" 2>&1 \
  || { cat "$build/dotnet-build.log" >&2; exit 1; }
log "building libtorch_peer and fann_peer"
{ cmake -S "$here" -B "$build/native" -DCMAKE_BUILD_TYPE=Release && cmake --build "$build/native" -j 2; } >"$build/native-build.log" 2>&1 \
  || { cat "$build/native-build.log" >&2; exit 1; }
fb="$build/fb/FastBackprop.Peers"

# 3. Export every workload (architecture, weights, batch, FastBackprop's loss and gradients); cross-check.
workloads=(W1 W2 W3 W4 W5)
: >"$build/grad.txt"
grad_status=0
for w in "${workloads[@]}"; do
  "$fb" export --workload "$w" --out "$build/export/$w" >/dev/null
  log "gradient cross-check $w"
  "$python" "$here/torch_peer.py" gradcheck --dir "$build/export/$w" >>"$build/grad.txt" || grad_status=1
done

# 4. Time. The peers of one row run one after another, so that a change in the machine's load hits them alike.
#    OMP_NUM_THREADS and OMP_WAIT_POLICY are cleared for the default set-ups: each harness sets its thread count.
#    OPENBLAS_NUM_THREADS is set to the row's thread count: torch.set_num_threads does not reach Debian's
#    OpenBLAS (torch links the generic libblas.so.3), which would otherwise run 2 threads in the 1-thread rows.
#    PASSIVE only changes how idle OpenMP threads wait, so --quick skips it in the 1-thread rows.
: >"$build/results.txt"
for w in "${workloads[@]}"; do
  meta="$build/export/$w/meta.txt"
  timing=(--warmup "$warmup" --min-sample "$min_sample" --samples "$samples")
  for t in 1 2; do
    log "timing $w, $t thread(s)"
    clean=(env -u OMP_NUM_THREADS -u OMP_WAIT_POLICY -u MKL_NUM_THREADS OPENBLAS_NUM_THREADS="$t")
    passive=("${clean[@]}" OMP_WAIT_POLICY=PASSIVE)
    "${clean[@]}" "$fb" time --workload "$w" --threads "$t" "${timing[@]}" >>"$build/results.txt"
    "${clean[@]}" "$python" "$here/torch_peer.py" time --meta "$meta" --threads "$t" "${timing[@]}" --peer pytorch >>"$build/results.txt"
    if [[ $quick == 0 || $t != 1 ]]; then
      "${passive[@]}" "$python" "$here/torch_peer.py" time --meta "$meta" --threads "$t" "${timing[@]}" --peer pytorch-passive >>"$build/results.txt"
    fi
    "${clean[@]}" "$build/native/libtorch_peer" --meta "$meta" --threads "$t" "${timing[@]}" --peer libtorch >>"$build/results.txt"
    if [[ $quick == 0 || $t != 1 ]]; then
      "${passive[@]}" "$build/native/libtorch_peer" --meta "$meta" --threads "$t" "${timing[@]}" --peer libtorch-passive >>"$build/results.txt"
    fi
    if [[ $t == 1 ]]; then
      # FANN is single-threaded. A W4 step takes about a second: fewer samples there.
      fann_samples=$samples; [[ $w == W4 ]] && fann_samples=$slow_samples
      "${clean[@]}" "$build/native/fann_peer" --meta "$meta" --warmup "$warmup" --min-sample "$min_sample" --samples "$fann_samples" >>"$build/results.txt"
    fi
  done
done

# 5. The report.
version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"; }
openblas_config=$("$python" -c "import ctypes, glob; lib = ctypes.CDLL(sorted(glob.glob('/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so*'))[0]); lib.openblas_get_config.restype = ctypes.c_char_p; print(lib.openblas_get_config().decode())" 2>/dev/null || echo "unknown")
{
  echo "machine=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
  echo "dotnet=SDK $(dotnet --version), runtime $(dotnet --list-runtimes | sed -n 's/^Microsoft.NETCore.App \([^ ]*\).*/\1/p' | tail -n 1)"
  echo "torch=$("$python" -c 'import torch; print(torch.__version__)') (python3-torch $(version python3-torch), Python $("$python" -c 'import platform; print(platform.python_version())'))"
  echo "libtorch=libtorch-dev $(version libtorch-dev)"
  echo "fann=libfann-dev $(version libfann-dev) (floatfann)"
  echo "openblas=libopenblas0-pthread $(version libopenblas0-pthread): $openblas_config"
  echo "commit=$commit"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "command=$command_line"
  echo "rule=warm-up ${warmup} s (FastBackprop: and until the JIT has compiled nothing new for 1 s); k = smallest power of two with k steps >= ${min_sample} s; median per-step time of ${samples} samples of k steps (FANN W4: ${slow_samples})"
  echo "duration=$(( $(date +%s) - started )) s"
  echo "note=$note"
} >"$build/info.txt"
"$python" "$here/report.py" --info "$build/info.txt" --results "$build/results.txt" --grad "$build/grad.txt" >"$out"
log "wrote $out ($(( $(date +%s) - started )) s)"
[[ $grad_status == 0 ]] || { echo "run.sh: the gradient cross-check failed for some tensor (FAIL in $out)" >&2; exit 1; }
