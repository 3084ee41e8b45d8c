#include "code/python_harness.h"

namespace rmg::code {

const std::string& HarnessSource() {
  static const std::string source = R"PY(import builtins, json, os, sys

# Bound before any solution code runs: a solution that replaces os._exit or
# builtins.exec must not change how its tests are run or judged.
_exec, _exit, _write, _remove = builtins.exec, os._exit, os.write, os.remove

def _read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()

def _compile_or_exit(path, exit_code):
    try:
        return compile(_read(path), path, "exec")
    except (SyntaxError, ValueError) as e:
        import traceback
        sys.stderr.write("".join(traceback.format_exception_only(type(e), e)))
        sys.stderr.flush()
        os._exit(exit_code)

def _jsonable(value):
    # json.dumps turns tuples into lists itself; other containers Python would
    # compare unequal to any JSON value become a marker object.
    return {"$unserialisable": type(value).__name__, "$repr": repr(value)[:200]}

def _main():
    mode = sys.argv[1]
    setup = _compile_or_exit("setup.py", 115) if mode == "assert" and os.path.exists("setup.py") else None
    test = _compile_or_exit("test.py", 115) if mode == "assert" else None
    spec = json.loads(_read("call.json")) if mode == "call" else None
    # The tests are gone before any of the solution runs: a solution that reads them
    # could answer exactly what they assert.
    for name in ("setup.py", "test.py", "call.json"):
        if os.path.exists(name):
            _remove(name)
    solution = _compile_or_exit("solution.py", 113)
    sys.argv = ["solution.py"]
    if mode == "stdio":
        _exec(solution, {"__name__": "__main__", "__file__": "solution.py", "__builtins__": __builtins__})
        return
    if mode == "assert":
        # The test counts as passed only when the token, written after test.py, reaches
        # stdout: a solution that ends the program early (os._exit(0)) passes nothing.
        # The token's file is gone and stdout is stderr before any of the solution runs.
        token = _read("token").encode("ascii")
        _remove("token")
        sys.stdout.flush()
        result_fd = os.dup(1)
        os.dup2(2, 1)
        namespace = {"__name__": "__main__", "__file__": "solution.py", "__builtins__": __builtins__}
        if setup is not None:
            _exec(setup, namespace)
        try:
            _exec(solution, namespace)
        except SystemExit:
            pass  # a script's sys.exit() ends the script, not the test
        try:
            _exec(test, namespace)
        except AssertionError:
            import traceback
            traceback.print_exc()
            sys.stderr.flush()
            _exit(114)
            return
        sys.stdout.flush()
        _write(result_fd, token)
        return
    sys.stdout.flush()
    result_fd = os.dup(1)
    os.dup2(2, 1)
    namespace = {"__name__": "solution", "__file__": "solution.py", "__builtins__": __builtins__}
    _exec(solution, namespace)
    name = spec["fn_name"]
    fn = namespace.get(name)
    if fn is None and isinstance(namespace.get("Solution"), type):
        fn = getattr(namespace["Solution"](), name, None)
    if fn is None:
        raise NameError("the solution defines no function %r" % name)
    result = fn(*spec["args"])
    sys.stdout.flush()
    data = json.dumps(result, default=_jsonable).encode("utf-8", "surrogateescape")
    while data:
        data = data[_write(result_fd, data):]

_main()
)PY";
  return source;
}

namespace {

// The one definition of a block's verdict, shared by the one-shot checker and the
// long-lived one.
constexpr const char* kSyntaxCheckFunction = R"PY(import ast, json, sys

def _check(block):
    try:
        ast.parse(block.strip())
        return None
    except SyntaxError as e:
        return {"error": str(e), "line": e.lineno, "offset": e.offset}
    except (ValueError, RecursionError) as e:
        return {"error": str(e), "line": None, "offset": None}
    except MemoryError:
        return _memory_error_verdict(block)

# CPython 3.11's parser raises the same bare MemoryError for nesting too deep for its
# stack, a verdict on the code, and for running out of the sandbox's address space,
# which says nothing about it. Parsed again under tracemalloc: running out of address
# space allocates most of what was left (about two thirds, measured), too deep a
# nesting only what the code before it needs.
def _memory_error_verdict(block):
    import resource, tracemalloc
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    if limit == resource.RLIM_INFINITY:
        left = None  # no limit of ours: the parser's own
    else:
        try:
            with open("/proc/self/statm") as f:
                used = int(f.read().split()[0]) * resource.getpagesize()
        except (OSError, ValueError):
            used = 0
        left = max(0, limit - used)
    tracemalloc.start()
    try:
        ast.parse(block.strip())
        return None
    except MemoryError:
        peak = tracemalloc.get_traced_memory()[1]
    except Exception:
        peak = None
    finally:
        tracemalloc.stop()
    if peak is not None and (left is None or peak < left // 2):
        return {"error": "too deeply nested for CPython's parser (MemoryError)", "line": None, "offset": None}
    return {"memory_limit": True}

)PY";

}  // namespace

const std::string& SyntaxCheckerSource() {
  static const std::string source = std::string(kSyntaxCheckFunction) + R"PY(with open("blocks.json", encoding="utf-8") as f:
    blocks = json.load(f)
sys.stdout.write(json.dumps([_check(b) for b in blocks]))
)PY";
  return source;
}

const std::string& SyntaxCheckLoopSource() {
  // Warnings (e.g. invalid escape sequences) never change a verdict; ignored, they
  // are not written to stderr. A request it cannot read ends the process, which the
  // C++ side sees as end of file.
  static const std::string source = std::string(kSyntaxCheckFunction) + R"PY(import warnings
warnings.simplefilter("ignore")
sys.stdout.write('{"ready": true}\n')
sys.stdout.flush()
for line in sys.stdin.buffer:
    sys.stdout.write(json.dumps([_check(b) for b in json.loads(line)]) + "\n")
    sys.stdout.flush()
)PY";
  return source;
}

RunRequest BuildTestRequest(const std::string& interpreter, const std::string& solution, const TestSuite& suite,
                            size_t index, const SandboxLimits& limits, const std::string& completion_token) {
  const TestCase& test = suite.tests.at(index);
  RunRequest request;
  request.argv = {interpreter, "-I", "harness.py", TestModeName(suite.mode)};
  request.limits = limits;
  request.files.emplace_back("harness.py", HarnessSource());
  request.files.emplace_back("solution.py", solution);
  switch (suite.mode) {
    case TestMode::kStdio:
      request.stdin_data = test.input;
      break;
    case TestMode::kCall: {
      Json call = Json::object();
      call["fn_name"] = suite.fn_name;
      call["args"] = test.args;
      request.files.emplace_back("call.json", call.dump(-1, ' ', false, Json::error_handler_t::replace));
      break;
    }
    case TestMode::kAssert:
      if (!suite.setup_code.empty()) request.files.emplace_back("setup.py", suite.setup_code);
      request.files.emplace_back("test.py", test.test_code);
      request.files.emplace_back("token", completion_token);
      break;
  }
  return request;
}

}  // namespace rmg::code
