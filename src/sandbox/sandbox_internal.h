// Internals of the sandbox shared by its files: which isolation this machine allows
// (probed once), the seccomp program (built once), and the launch of one sandbox.
//
// A sandbox is two processes. The "init" is cloned straight from the caller into new
// namespaces; it builds the private file system view and then forks the "program",
// which sets its limits, drops every privilege, installs the seccomp filter and
// execs the untrusted code. The init stays behind as PID 1 of the sandbox: it reaps,
// tells the caller how the program ended, and, once the program is gone, kills
// whatever it left behind before exiting — and when the PID-namespace init exits, the
// kernel kills everything still inside, so killing the init is killing the sandbox.
#pragma once

#include <linux/filter.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "rmg/sandbox.h"

namespace rmg::sandbox_internal {

// The strongest isolation the machine allows, in decreasing strength.
enum class IsolationMode {
  kUserNamespace,   // user+PID+net+mount+IPC+UTS namespaces; needs user namespaces
  kRootNamespaces,  // the same without a user namespace, program run as nobody; needs root
  kRlimitsOnly,     // rlimits + seccomp + its own session in a host temp dir
};

struct MachineSupport {
  IsolationMode mode = IsolationMode::kRlimitsOnly;
  bool seccomp = false;
  std::string description;  // one line for DescribeSandbox()
  std::string downgrade;    // empty at full strength; else what is missing and the fallback
};

// Probes once (thread-safe) and, when isolation is downgraded, says so once on stderr.
const MachineSupport& Support();

// Tests only: from now on Support() reports `mode` (which must work here), as if the
// machine allowed no more. Not safe while sandboxes are being started.
void ForceModeForTesting(IsolationMode mode);

// The seccomp BPF program every sandboxed program runs under, built once. Empty with
// *error set when libseccomp cannot build it.
const std::vector<sock_filter>& SeccompProgram(std::string* error);

// Messages the init writes to the report pipe: fixed-size, so one write is atomic.
struct Report {
  int32_t kind;   // ReportKind
  int32_t stage;  // SetupStage of a kSetupError
  int32_t value;  // errno of a kSetupError, pid of kStarted, wait status of kExited,
                  // kilobytes of kPeakMemory
  int32_t rlimit;  // the RLIMIT_* resource of a kSetupError at kStageRlimit, else -1
};
// kPeakMemory follows kExited: the largest ru_maxrss of the program and everything the
// init reaped, leaving out the init's own. A forked process's high-water mark survives
// execve, so this is max(the program's peak, the caller's resident size at clone time).
enum ReportKind : int32_t { kSetupError = 1, kStarted = 2, kExited = 3, kPeakMemory = 4 };

// Steps of the setup; a kSetupError names the one that failed.
enum SetupStage : int32_t {
  kStageSync = 1, kStageIds, kStageMountPrivate, kStageRootTmpfs, kStageBind, kStageReadOnly,
  kStageDevices, kStageProc, kStageDirs, kStageFiles, kStagePivot, kStageChdir, kStageFork,
  kStageStdio, kStageRlimit, kStageSession, kStageDropPrivileges, kStageNoNewPrivs, kStageSeccomp,
  kStageExec,
};
const char* SetupStageName(int32_t stage);

// What a kSetupError says: "sandbox setup failed while <stage>[ (<limit>)]: <errno text>",
// or "cannot execute <program_path> in the sandbox: ..." for kStageExec.
std::string SetupFailureMessage(const Report& failure, const std::string& program_path);

// A running sandbox as the caller sees it. Every fd is owned and O_CLOEXEC.
struct Launched {
  pid_t pid = -1;       // the init
  int pidfd = -1;       // readable once the init has exited
  int stdin_fd = -1;    // a socket: write with send(MSG_NOSIGNAL), shutdown/close for EOF
  int stdout_fd = -1;
  int stderr_fd = -1;
  int report_fd = -1;   // Report messages, EOF when the init is gone
  IsolationMode mode = IsolationMode::kRlimitsOnly;
  std::string host_dir;  // kRlimitsOnly: the working directory to delete afterwards
};

// Starts `request` in a new sandbox. `die_with_caller`: the init is killed when the
// calling thread exits (RunSandboxed waits on that thread; a SandboxedProcess may
// outlive it). False with *error set when the sandbox cannot be made.
bool Launch(const RunRequest& request, bool die_with_caller, Launched* out, std::string* error);

// Kills the whole sandbox (the init, and in kRlimitsOnly the program's group).
void KillSandbox(const Launched& launched, pid_t program_pid);

// Kills the init's children (the program, and anything orphaned to the init) but not
// the init, which then reaps them, reports the program's end and exits: its wait4 then
// counts the program's CPU time, which killing the init first would lose. Only with a
// PID namespace (false otherwise, or when /proc does not list the children); the
// caller still kills the whole sandbox if the init has not exited soon after.
bool KillInitsChildren(const Launched& launched);

// Waits for the init to end (kill it first unless it has exited) and stores its wait
// status and the CPU and memory use of it and everything it reaped (either may be null).
void WaitForInit(const Launched& launched, int* status, struct rusage* usage);

// Closes every fd of `launched` and deletes its host directory, if any.
void Release(Launched* launched);

}  // namespace rmg::sandbox_internal
