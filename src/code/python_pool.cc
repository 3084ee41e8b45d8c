#include "code/python_pool.h"

#include <signal.h>

#include <algorithm>
#include <thread>

#include "code/process_pipes.h"
#include "rmg/schema.h"

namespace rmg::code {
namespace {

// The zygote. It reads requests from fd 0 with os.read (never through sys.stdin, so
// a child never inherits buffered request bytes) and answers on fd 1.
constexpr const char* kZygoteSource =
    R"PY(import gc, io, json, os, resource, select, shutil, signal, sys, time, traceback
# Modules solutions commonly import, loaded once here so that every child starts warm.
import math, re, collections, itertools, functools, heapq, bisect, string, random, fractions, decimal
import statistics, typing, copy, operator, array, datetime, ast

BASE = os.getcwd()
# In a PID namespace the sandbox's init is 1 and this zygote, its only child, is 2. Only
# there may kill(-1) end what a test left running: in the host namespace it would reach
# every process of the user.
IN_PID_NAMESPACE = os.getpid() == 2 and os.getppid() == 1
# A test may write to the sandbox's /tmp and root: what it leaves there is removed before
# the next test, which must not see it. Only in namespaces, where both are the sandbox's
# own (without them $TMPDIR is BASE, emptied below; outside a sandbox, as in tests, /tmp
# is the host's).
SCRATCH = [d for d in ("/tmp", "/") if IN_PID_NAMESPACE and os.path.isdir(d)]
SCRATCH_KEEP = {d: set(os.listdir(d)) for d in SCRATCH}
try:
    # Not dumpable, so that a test cannot open this process's /proc/2/mem and rewrite
    # the zygote that forks the tests after it. Its children inherit it.
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
except Exception:
    pass
# Tests run in one working directory that is emptied after each test rather than
# made and removed: on ext4, mkdir/rmdir (and truncating files) cost milliseconds,
# creating and unlinking fresh files microseconds.
WORK = os.path.join(BASE, ".work")
os.mkdir(WORK, 0o700)
KEEP = set(os.listdir(BASE))
_pending = b""

def read_line():
    global _pending
    while b"\n" not in _pending:
        chunk = os.read(0, 1 << 16)
        if not chunk:
            return None
        _pending += chunk
    line, _, _pending = _pending.partition(b"\n")
    return line

def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]

def set_limit(kind, soft, hard=None):
    if not soft or soft <= 0:
        return
    soft = int(soft)
    hard = soft if hard is None else int(hard)
    try:
        _, current = resource.getrlimit(kind)
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(kind, (soft, hard))
    except (ValueError, OSError):
        pass

def child(req, wd, out_w, err_w):
    code = 1
    try:
        os.setsid()
        os.chdir(wd)
        cpu = max(1, int(req["cpu"] + 0.999))
        set_limit(resource.RLIMIT_CPU, cpu, cpu + 1)
        set_limit(resource.RLIMIT_AS, req["mem"])
        set_limit(resource.RLIMIT_FSIZE, req["fsize"])
        try:
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would dump core into the directory
        except (ValueError, OSError):
            pass
        opened = os.open("stdin", os.O_RDONLY)
        os.dup2(opened, 0)
        os.close(opened)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        os.closerange(3, 1 << 16)
        set_limit(resource.RLIMIT_NOFILE, req["nofile"])
        sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)),
                                                     encoding="utf-8", errors="surrogateescape")
        sys.stdout = sys.__stdout__ = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)),
                                                       encoding="utf-8", errors="surrogateescape")
        sys.stderr = sys.__stderr__ = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
                                                       encoding="utf-8", errors="backslashreplace",
                                                       line_buffering=True)
        sys.argv = list(req["argv"])
        code = 0
        try:
            with open(sys.argv[0], "rb") as f:
                program = compile(f.read(), sys.argv[0], "exec")
            exec(program, {"__name__": "__main__", "__file__": sys.argv[0], "__builtins__": __builtins__})
        except SystemExit as e:
            if e.code is None:
                code = 0
            elif isinstance(e.code, int):
                code = e.code & 0xFF
            else:
                sys.stderr.write(str(e.code) + "\n")
                code = 1
        except BaseException:
            traceback.print_exc()
            code = 1
        try:
            sys.stdout.flush()
        except BaseException:
            code = code or 1
        try:
            sys.stderr.flush()
        except BaseException:
            pass
    finally:
        os._exit(code)

def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass

def wait_child(pid, wall, out_r, err_r, cap):
    # Waits for the child while reading its stdout and stderr pipes (the first `cap`
    # bytes of each kept); kills its group at the wall limit, or once it has written
    # more than `cap` bytes to either. Returns (status, rusage, timed_out, stdout,
    # stderr, stdout bytes written, stderr bytes written).
    deadline = time.monotonic() + wall
    timed_out = exited = False
    data = {out_r: bytearray(), err_r: bytearray()}
    total = {out_r: 0, err_r: 0}
    open_fds = [out_r, err_r]
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    drain_until = None  # once the child is gone: how long the pipes may stay open
    while open_fds:
        now = time.monotonic()
        if drain_until is None and now >= deadline:
            timed_out = True
            kill_group(pid)
            drain_until = now + 0.2
        if drain_until is not None and now >= drain_until:
            break
        watch = list(open_fds)
        if pidfd is not None and not exited:
            watch.append(pidfd)
        wait = (drain_until if drain_until is not None else deadline) - now
        if pidfd is None and not exited:
            wait = min(wait, 0.002)
        ready, _, _ = select.select(watch, [], [], max(0.0, wait))
        for fd in ready:
            if fd == pidfd:
                exited = True
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                os.close(fd)
                open_fds.remove(fd)
                continue
            total[fd] += len(chunk)
            if len(data[fd]) < cap:
                data[fd] += chunk[:cap - len(data[fd])]
            if total[fd] > cap:
                kill_group(pid)
        if pidfd is None and not exited:
            try:
                exited = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
            except ChildProcessError:
                exited = True
        if exited and drain_until is None:
            # Processes the test left in its group would keep the pipes open.
            kill_group(pid)
            drain_until = time.monotonic() + 0.2
    for fd in open_fds:
        os.close(fd)
    if pidfd is not None:
        os.close(pidfd)
    kill_group(pid)
    _, status, usage = os.wait4(pid, 0)
    return status, usage, timed_out, bytes(data[out_r]), bytes(data[err_r]), total[out_r], total[err_r]

def empty(path):
    for entry in os.scandir(path):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)

def remove_entry(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.unlink(path)
        except OSError:
            pass

def wait_until_killed(seconds):
    # SIGKILL is delivered, not done: a process may run on for a moment before it exits.
    me = os.getpid()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        running = False
        for name in os.listdir('/proc'):
            if not name.isdigit() or int(name) in (1, me):
                continue
            try:
                with open('/proc/%s/stat' % name) as stat:
                    state = stat.read().rsplit(')', 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state not in ('Z', 'X'):
                running = True
                break
        if not running:
            return
        time.sleep(0.001)

def clean():
    global WORK
    # Processes a test left running (in a session of their own, out of its group's
    # reach) would go on rewriting the files or using the CPU of the tests after it.
    if IN_PID_NAMESPACE:
        try:
            os.kill(-1, signal.SIGKILL)  # all but the init and this process
        except OSError:
            pass
        wait_until_killed(1.0)
    # Orphans of earlier tests are re-parented to the zygote when it is the PID
    # namespace's init: reap them so they do not pile up as zombies.
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break
    try:
        os.chmod(WORK, 0o700)
        empty(WORK)
    except OSError:
        # The test made its directory hard to empty: start a new one.
        shutil.rmtree(WORK, ignore_errors=True)
        WORK = os.path.join(BASE, ".work%d" % time.monotonic_ns())
        os.mkdir(WORK, 0o700)
        KEEP.add(os.path.basename(WORK))
    for name in os.listdir(BASE):
        if name not in KEEP:
            remove_entry(os.path.join(BASE, name))
    for directory in SCRATCH:
        try:
            for name in os.listdir(directory):
                if name not in SCRATCH_KEEP[directory]:
                    remove_entry(os.path.join(directory, name))
        except OSError:
            pass

def serve():
    while True:
        line = read_line()
        if line is None:
            return
        reply = {"exit": None, "signal": 0, "timed_out": False, "cpu": 0.0, "wall": 0.0, "maxrss_kb": 0,
                 "out": 0, "err": 0, "out_total": 0, "err_total": 0, "error": ""}
        out = err = b""
        wd = WORK
        try:
            req = json.loads(line)
            for path, text in req["files"] + [["stdin", req["stdin"]]]:
                full = os.path.normpath(os.path.join(wd, path))
                if not full.startswith(wd + os.sep):
                    raise ValueError("file path outside the working directory: " + path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "xb") as f:
                    f.write(text.encode("utf-8", "surrogateescape"))
            sys.stdout.flush()
            sys.stderr.flush()
            gc.freeze()
            out_r, out_w = os.pipe()
            err_r, err_w = os.pipe()
            start = time.monotonic()
            pid = os.fork()
            if pid == 0:
                child(req, wd, out_w, err_w)
            os.close(out_w)
            os.close(err_w)
            status, usage, timed_out, out, err, reply["out_total"], reply["err_total"] = wait_child(
                pid, req["wall"], out_r, err_r, req["out"])
            reply["wall"] = time.monotonic() - start
            reply["timed_out"] = timed_out
            reply["cpu"] = usage.ru_utime + usage.ru_stime
            reply["maxrss_kb"] = usage.ru_maxrss
            if os.WIFEXITED(status):
                reply["exit"] = os.WEXITSTATUS(status)
            elif os.WIFSIGNALED(status):
                reply["signal"] = os.WTERMSIG(status)
        except Exception as e:
            reply["error"] = "zygote: %s: %s" % (type(e).__name__, e)
        clean()
        reply["out"] = len(out)
        reply["err"] = len(err)
        write_all(1, json.dumps(reply).encode() + b"\n" + out + err)

# Objects that exist before a fork are moved out of the collector's reach: a child's
# garbage collections then never touch (and so never copy) the zygote's pages, which
# makes a test several times cheaper.
gc.collect()
gc.freeze()
write_all(1, b'{"ready": true}\n')
serve()
)PY";

// The script and its arguments of `argv` = {python, [-flags]..., script, args...};
// false for any other form (`-c CODE`, `-m MODULE`, no script).
bool ScriptArgv(const std::vector<std::string>& argv, Json* script_argv) {
  size_t i = 1;
  for (; i < argv.size() && !argv[i].empty() && argv[i][0] == '-'; ++i) {
    const std::string& flag = argv[i];
    if (flag == "-" || flag.rfind("-c", 0) == 0 || flag.rfind("-m", 0) == 0) return false;
    if (flag == "-W" || flag == "-X") ++i;  // their value is the next argument
  }
  if (i >= argv.size()) return false;
  *script_argv = Json::array();
  for (; i < argv.size(); ++i) script_argv->push_back(argv[i]);
  return true;
}

bool LastLineStartsWith(const std::string& text, std::string_view prefix) {
  size_t end = text.size();
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r' || text[end - 1] == ' ')) --end;
  const size_t start = text.rfind('\n', end == 0 ? 0 : end - 1);
  const size_t line = start == std::string::npos ? 0 : start + 1;
  return text.compare(line, prefix.size(), prefix) == 0;
}

RunResult FailedRun(RunStatus status, std::string message) {
  RunResult result;
  result.status = status;
  result.message = std::move(message);
  return result;
}

}  // namespace

SandboxLimits PoolOptions::DefaultZygoteLimits() {
  SandboxLimits limits;
  limits.wall_seconds = 1e9;   // the pool enforces wall time per request
  limits.cpu_seconds = 1e9;    // per process: every child starts from zero
  limits.memory_bytes = 2048ull << 20;
  limits.max_processes = 256;
  limits.max_file_bytes = 256ull << 20;  // request files (test inputs) are written by the zygote
  limits.max_open_files = 256;
  limits.max_output_bytes = 1ull << 40;  // the pipes are read by the pool, not the sandbox
  return limits;
}

const std::string& PythonPool::ZygoteSource() {
  static const std::string source = kZygoteSource;
  return source;
}

PythonPool::PythonPool(PoolOptions options) : options_(std::move(options)) {
  IgnoreSigpipeOnce();
  size_t n = options_.workers;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  workers_.resize(n);
  if (!options_.starter) {
    options_.starter = [](const RunRequest& request, std::string* error) {
      return SandboxedProcess::Start(request, error);
    };
  }
}

PythonPool::~PythonPool() {
  for (Worker& worker : workers_) {
    if (worker.process) worker.process->Kill();
  }
}

PythonPool& PythonPool::Shared() {
  static PythonPool* pool = new PythonPool(PoolOptions{});  // never destroyed: used until exit
  return *pool;
}

size_t PythonPool::starts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return starts_;
}

bool PythonPool::EnsureStarted(Worker& worker, std::string* error) {
  if (worker.process && worker.process->Alive()) return true;
  if (worker.process) worker.process->Kill();
  worker.process.reset();
  worker.buffer.clear();
  RunRequest request;
  request.argv = {options_.python, "-I", "zygote.py"};
  request.files.emplace_back("zygote.py", ZygoteSource());
  request.limits = options_.zygote_limits;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++starts_;
  }
  worker.process = StartAndAwaitReady(options_.starter, request, &worker.buffer, error);
  return worker.process != nullptr;
}

RunResult PythonPool::Run(const RunRequest& request) {
  Worker* worker = nullptr;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [&] {
      for (Worker& w : workers_) {
        if (!w.busy) {
          worker = &w;
          return true;
        }
      }
      return false;
    });
    worker->busy = true;
  }
  RunResult result;
  std::string error;
  if (EnsureStarted(*worker, &error)) {
    result = RunOn(*worker, request);
  } else {
    result = FailedRun(RunStatus::kSandboxError, error);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    worker->busy = false;
  }
  idle_.notify_one();
  return result;
}

RunResult PythonPool::RunOn(Worker& worker, const RunRequest& request) {
  Json argv;
  if (!ScriptArgv(request.argv, &argv)) {
    return FailedRun(RunStatus::kSandboxError, "the pool runs only `python [-flags] script.py args...`");
  }
  const SandboxLimits& limits = request.limits;
  Json message = Json::object();
  message["argv"] = std::move(argv);
  Json files = Json::array();
  for (const auto& [path, text] : request.files) files.push_back(Json::array({path, text}));
  message["files"] = std::move(files);
  message["stdin"] = request.stdin_data;
  message["wall"] = limits.wall_seconds;
  message["cpu"] = limits.cpu_seconds;
  message["mem"] = std::min(limits.memory_bytes, options_.zygote_limits.memory_bytes);
  message["fsize"] = limits.max_file_bytes;
  message["nofile"] = limits.max_open_files;
  message["out"] = limits.max_output_bytes;
  const std::string line = message.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";

  SandboxedProcess& process = *worker.process;
  auto dead = [&](RunStatus status, std::string why) {
    process.Kill();
    worker.process.reset();
    worker.buffer.clear();
    return FailedRun(status, std::move(why));
  };
  if (!WriteAll(process.stdin_fd(), line)) return dead(RunStatus::kSandboxError, "the Python worker is gone");

  const auto deadline = DeadlineIn(limits.wall_seconds + options_.backstop_seconds);
  std::string stderr_tail;
  ReadOutcome outcome = ReadUntil(process, worker.buffer, kReadLine, deadline, stderr_tail, request.cancelled);
  // The worker is mid-run: only killing it stops the program.
  if (outcome == ReadOutcome::kCancelled) return dead(RunStatus::kTimeLimit, "cancelled");
  if (outcome == ReadOutcome::kTimeout) {
    return dead(RunStatus::kTimeLimit, "no reply from the Python worker past the wall limit: worker killed");
  }
  if (outcome == ReadOutcome::kEof) {
    return dead(RunStatus::kRuntimeError, "the Python worker died during the run" +
                                              (stderr_tail.empty() ? std::string() : ": " + stderr_tail));
  }
  const size_t newline = worker.buffer.find('\n');
  Json reply;
  try {
    reply = Json::parse(worker.buffer.substr(0, newline));
  } catch (const Json::exception&) {
    return dead(RunStatus::kSandboxError, "unreadable reply from the Python worker");
  }
  worker.buffer.erase(0, newline + 1);
  const size_t out_size = reply.value("out", size_t{0});
  const size_t err_size = reply.value("err", size_t{0});
  outcome = ReadUntil(process, worker.buffer, out_size + err_size, deadline, stderr_tail);
  if (outcome != ReadOutcome::kOk) return dead(RunStatus::kSandboxError, "truncated reply from the Python worker");

  RunResult result;
  result.stdout_data = worker.buffer.substr(0, out_size);
  result.stderr_data = worker.buffer.substr(out_size, err_size);
  worker.buffer.erase(0, out_size + err_size);
  // The zygote itself failed (its file system full, say): the next request gets a new one.
  const std::string error = reply.value("error", std::string());
  if (!error.empty()) return dead(RunStatus::kSandboxError, error);
  result.wall_seconds = reply.value("wall", 0.0);
  result.cpu_seconds = reply.value("cpu", 0.0);
  result.peak_memory_kb = reply.value("maxrss_kb", uint64_t{0});
  result.signal = reply.value("signal", 0);
  result.exit_code = reply["exit"].is_number() ? reply["exit"].get<int>() : -1;
  const uint64_t out_total = reply.value("out_total", uint64_t{0});
  const uint64_t err_total = reply.value("err_total", uint64_t{0});
  const bool over_output = out_total > limits.max_output_bytes || err_total > limits.max_output_bytes;
  result.truncated = over_output || err_size >= limits.max_output_bytes;
  if (reply.value("timed_out", false) || result.signal == SIGXCPU ||
      (result.signal == SIGKILL && result.cpu_seconds >= limits.cpu_seconds)) {
    result.status = RunStatus::kTimeLimit;
  } else if (result.signal == SIGXFSZ || over_output) {
    result.status = RunStatus::kOutputLimit;
  } else if (result.exit_code == 0) {
    result.status = RunStatus::kOk;
  } else if (LastLineStartsWith(result.stderr_data, "MemoryError")) {
    result.status = RunStatus::kMemoryLimit;
  } else {
    result.status = RunStatus::kRuntimeError;
  }
  return result;
}

}  // namespace rmg::code
