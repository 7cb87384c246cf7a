"""A kernel template: fresh kernels forked from a process that has already imported the libraries.

Each client's assessment runs in its own fresh kernel. Starting one the usual
way costs about a second of CPU before the first cell runs: the interpreter,
ipykernel and IPython, then pandas, matplotlib and the toolkit. On a two-core
machine running a batch that is a third of each client's cost.

A template is a small server process that imports all of that once and never
runs any notebook code. For each kernel it is asked for, it forks: the child is
a brand-new process (its own pid, session, memory and sockets) that turns
itself into an ordinary ipykernel with the manager's connection file. A child
starts from the template's state, which holds libraries only, so no client's
data can reach another client's kernel: kernels are still never shared or
reused. This is the same idea as `multiprocessing`'s ``forkserver``.

The template is only used where it pays, in batch workers, and on Linux only.
`KernelTemplate.fork` returns None when the template cannot serve, and the
caller then starts the kernel the usual way.

Protocol: one JSON line per request on the template's stdin (``argv``, ``cwd``,
``env``), one JSON line per reply on its stdout (``pid`` or ``error``).
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
from typing import IO, Any, Mapping, Sequence

log = logging.getLogger("toolkit")

#: Imported by the template before it serves: what every assessment kernel needs.
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "pandas", "matplotlib.figure", "matplotlib.backends.backend_svg",
           "toolkit.story", "toolkit.slides")
#: Seconds to wait for the template to be ready (its imports) and for each fork.
READY_TIMEOUT_S, FORK_TIMEOUT_S = 60.0, 10.0


class KernelTemplate:
    """The parent's handle on one template process (started at once, imports in the background).

    Parameters
    ----------
    preload
        Modules the template imports before serving.
    """

    def __init__(self, preload: Sequence[str] = PRELOAD) -> None:
        self._lock = threading.Lock()
        self._ready = False
        # stderr is shared with the parent, so a kernel's own error output still
        # reaches the user; stdout is the reply channel and the kernels never see it.
        self.process: subprocess.Popen | None = subprocess.Popen(
            [sys.executable, "-m", "toolkit.kernel_template", *preload],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    @property
    def pid(self) -> int | None:
        """The template's pid (None once closed)."""
        return self.process.pid if self.process else None

    def fork(self, argv: Sequence[str], *, cwd: str | os.PathLike | None, env: Mapping[str, str]) -> int | None:
        """Start a kernel: ``argv`` are ipykernel's arguments (``-f CONNECTION_FILE ...``).

        Returns
        -------
        int or None
            The kernel's pid (a child of the template, leader of its own
            session), or None when the template cannot serve; it is then closed.
        """
        with self._lock:
            if self.process is None or self.process.poll() is not None:
                return None
            try:
                if not self._ready:
                    self._reply(READY_TIMEOUT_S)  # the template says "ready" once its imports are done
                    self._ready = True
                request = {"argv": list(argv), "cwd": os.fspath(cwd) if cwd else os.getcwd(), "env": dict(env)}
                self.process.stdin.write(json.dumps(request) + "\n")
                self.process.stdin.flush()
                reply = self._reply(FORK_TIMEOUT_S)
            except (OSError, ValueError, TimeoutError) as exc:
                log.debug("kernel template unusable (%s); kernels start the usual way", exc)
                self._close()
                return None
            if "pid" not in reply:
                log.debug("kernel template refused: %s", reply.get("error"))
                return None
            return int(reply["pid"])

    def close(self) -> None:
        """End the template (its kernels are ended by their managers, or notice and exit)."""
        with self._lock:
            self._close()

    def _reply(self, timeout: float) -> dict[str, Any]:
        assert self.process is not None and self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            raise TimeoutError("no reply from the kernel template")
        return json.loads(line)

    def _close(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        try:
            process.stdin.close()  # EOF: the template exits by itself
            process.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        finally:
            process.stdout.close()


_template: KernelTemplate | None = None


def start_template(preload: Sequence[str] = PRELOAD) -> KernelTemplate | None:
    """Start this process's template (once); later kernels of `IsolatedKernelManager` fork from it."""
    global _template
    # Linux only: on macOS, forking a process that has loaded system frameworks is unsafe.
    if _template is None and sys.platform.startswith("linux"):
        _template = KernelTemplate(preload)
        atexit.register(stop_template)
    return _template


def current_template() -> KernelTemplate | None:
    """This process's template, if one was started."""
    return _template


def stop_template() -> None:
    """Close this process's template, if any."""
    global _template
    if _template is not None:
        _template.close()
        _template = None


# --- the template process --------------------------------------------------------------------------

def serve(preload: Sequence[str], requests: IO[str], replies: IO[str]) -> None:
    """Import ``preload``, say ready, then fork one kernel per request until ``requests`` ends."""
    import importlib

    for name in preload:
        try:
            importlib.import_module(name)
        except Exception as exc:  # the kernel will import it again and report properly
            print(f"kernel template: cannot preload {name}: {exc}", file=sys.stderr)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the system reaps ended kernels: no zombies
    _send(replies, {"ready": True})
    for line in requests:
        request = json.loads(line)
        if threading.active_count() > 1:  # forking a threaded process is unsafe: refuse
            _send(replies, {"error": "the template has started threads"})
            continue
        pid = os.fork()
        if pid == 0:
            _become_kernel(request)  # never returns
        _send(replies, {"pid": pid})


def _send(replies: IO[str], message: dict[str, Any]) -> None:
    replies.write(json.dumps(message) + "\n")
    replies.flush()


def _become_kernel(request: dict[str, Any]) -> None:
    """In the forked child: become an ordinary ipykernel, then exit without returning."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses need their status
        os.setsid()  # its own session and process group, as jupyter_client gives every kernel
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(2, 1)  # the template's stdout is its reply channel, never the kernel's
        os.close(devnull)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import importlib.util

        from ipykernel import kernelapp

        # What a kernel started by ``python -m ipykernel_launcher -f ...`` would see.
        sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *request["argv"]]
        # The kernel ends itself if the template (its parent) goes away.
        kernelapp.launch_new_instance(argv=[*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            atexit._run_exitfuncs()  # what a normal interpreter exit would run
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def main(preload: Sequence[str]) -> None:
    """The template process: set up as ``ipykernel_launcher`` would, then serve on stdin/stdout."""
    if sys.path and sys.path[0] in ("", os.getcwd()):  # as ipykernel_launcher: not the caller's cwd
        del sys.path[0]
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel does
    serve(preload, sys.stdin, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
