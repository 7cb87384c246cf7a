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
``env``), one JSON line per reply on its stdout (``ready`` once, then ``pid`` or
``error``); everything else the template or its kernels print goes to stderr.

Differences from an ordinary kernel, none of which changes a notebook's results:
its parent is the template (a kernel ends if the template dies), ``ps`` shows
the template's command line, kernels of one template share Python's string
hash seed (each gets its own `random` and NumPy global random state), and the
objects the template imported are frozen (`gc.freeze`): never collected, as
modules are not.
"""
from __future__ import annotations

import atexit
import io
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from typing import IO, Any, cast

log = logging.getLogger("toolkit")

#: Imported by the template before it serves: what every assessment kernel needs (the story, its
#: findings, charts and privacy audit, the summary) and what a kernel asked for ``deck.pptx`` needs
#: (python-pptx and the native charts): about a second of CPU per client saved (measured with
#: ``benchmarks/batch.py``). Libraries only: nothing here reads a client's data. It holds every
#: sizeable module a kernel still imported lazily while running the real notebook (compare
#: ``sys.modules`` before and after): the privacy audit's SciPy solver alone is half a second per kernel.
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "pandas", "matplotlib.figure", "matplotlib.backends.backend_svg",
           "scipy.optimize", "scipy.sparse",
           "toolkit.story", "toolkit.slides", "toolkit.deck.outputs", "toolkit.findings.build", "toolkit.plots",
           "toolkit.plots.drivers", "toolkit.norms", "toolkit.batch.snapshot",
           "toolkit.privacy.final", "toolkit.privacy.linked", "toolkit.privacy.audit", "toolkit.summary",
           "toolkit.voice",
           "pptx", "pptx.chart.data", "toolkit.pptx.build", "toolkit.pptx.chart_slides", "toolkit.pptx.content",
           "toolkit.pptx.native_charts", "toolkit.pptx.tables", "toolkit.pptx.brand", "toolkit.pptx.template")
#: Seconds to wait for the template to be ready (its imports) and for each fork.
READY_TIMEOUT_S, FORK_TIMEOUT_S = 60.0, 10.0
#: Set for a template that is to die with the process that started it (its pid).
PARENT_ENV = "ALIGNMENT_TEMPLATE_PARENT"


class KernelTemplate:
    """The parent's handle on one template process (started at once, imports in the background).

    Parameters
    ----------
    preload
        Modules the template imports before serving.
    cwd
        The directory its kernels will run in (the notebook's). The template
        imports there too, so that anything read from the working directory at
        import time (a ``matplotlibrc``) is what an ordinary kernel would read;
        a kernel asked for elsewhere is started the usual way.
    """

    def __init__(self, preload: Sequence[str] = PRELOAD, cwd: str | os.PathLike[str] | None = None) -> None:
        self._lock = threading.Lock()
        self._ready = False
        self._buffer = b""
        self.cwd = os.path.realpath(cwd or os.getcwd())
        # -P: the working directory is not put on sys.path, so `toolkit` is the
        # installed one whatever folder the batch was started from. stderr is
        # shared with the parent, so a kernel's own error output reaches the user.
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-P", "-m", "toolkit.run.kernel_template", *preload], cwd=self.cwd,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_template_env())

    @property
    def pid(self) -> int | None:
        """The template's pid (None once closed)."""
        return self.process.pid if self.process else None

    def fork(self, argv: Sequence[str], *, cwd: str | os.PathLike[str] | None, env: Mapping[str, str]) -> int | None:
        """Start a kernel: ``argv`` are ipykernel's arguments (``-f CONNECTION_FILE ...``).

        Returns
        -------
        int or None
            The kernel's pid (a child of the template, leader of its own
            session), or None when the template cannot serve this request (the
            caller then starts the kernel the usual way); a template that stops
            answering is closed.
        """
        with self._lock:
            if self.process is None or self.process.poll() is not None:
                return None
            if os.path.realpath(cwd or os.getcwd()) != self.cwd:
                return None
            try:
                if not self._ready:
                    self._reply(READY_TIMEOUT_S)  # the template says "ready" once its imports are done
                    self._ready = True
                request = {"argv": list(argv), "cwd": self.cwd, "env": dict(env)}
                assert self.process.stdin is not None  # started with stdin=PIPE
                self.process.stdin.write(json.dumps(request).encode() + b"\n")
                self.process.stdin.flush()
                reply = self._reply(FORK_TIMEOUT_S)
            except (OSError, ValueError, TimeoutError) as exc:
                # A kernel forked just before a timeout loses its parent with the
                # template and ends itself (its parent_handle) within a second.
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
        """Read one reply line, giving up after ``timeout`` seconds even on a partial line."""
        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError("no reply from the kernel template")
            chunk = os.read(fd, 4096)
            if not chunk:
                raise TimeoutError("the kernel template has exited")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return cast(dict[str, Any], json.loads(line))  # the template writes one JSON object per line

    def _close(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        assert process.stdin is not None and process.stdout is not None  # started with both as PIPE
        try:
            process.stdin.close()  # EOF: the template exits by itself
            process.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        finally:
            process.stdout.close()


_template: KernelTemplate | None = None


def _template_env() -> dict[str, str]:
    """The template's environment: it dies with us when started by our main thread.

    (Linux signals a child when the *thread* that started it ends, so a template
    started by a short-lived thread must not ask for that.)
    """
    env = dict(os.environ)
    env.pop(PARENT_ENV, None)
    if threading.current_thread() is threading.main_thread():
        env[PARENT_ENV] = str(os.getpid())
    return env


def start_template(preload: Sequence[str] = PRELOAD, cwd: str | os.PathLike[str] | None = None) -> KernelTemplate | None:
    """Start this process's template (once); later kernels of `IsolatedKernelManager` fork from it.

    ``cwd`` is where the kernels will run (the notebook's folder); see `KernelTemplate`.
    """
    global _template
    # Linux only: on macOS, forking a process that has loaded system frameworks is unsafe.
    if _template is None and sys.platform.startswith("linux"):
        try:
            _template = KernelTemplate(preload, cwd)
        except OSError as exc:  # never fatal: kernels then start the usual way
            log.debug("kernel template not started (%s)", exc)
            return None
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
    _freeze_heap()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the system reaps ended kernels: no zombies
    _send(replies, {"ready": True})
    for line in requests:
        request = json.loads(line)
        # Python threads would not survive a fork half-way through their work: refuse.
        # (Native pools such as OpenBLAS's handle fork themselves, as they do for
        # multiprocessing's fork start method.)
        if threading.active_count() > 1:
            _send(replies, {"error": "the template has started threads"})
            continue
        pid = os.fork()
        if pid == 0:
            _become_kernel(request, replies)  # never returns
        _send(replies, {"pid": pid})


def _freeze_heap() -> None:
    """Move everything imported so far out of the garbage collector's reach in every forked kernel.

    Python's advice for a fork server (`gc.freeze`): without it each kernel's
    full collections walk the template's few hundred thousand objects (the
    libraries) and write to every one of them, copying nearly all of the
    template's memory page by page; a kernel that allocates a lot (the PPTX
    build) paid about a third of a second for that. The frozen objects are
    libraries, alive for the kernel's whole life anyway.
    """
    import gc

    gc.collect()
    gc.freeze()


def _send(replies: IO[str], message: dict[str, Any]) -> None:
    replies.write(json.dumps(message) + "\n")
    replies.flush()


def _become_kernel(request: dict[str, Any], replies: IO[str]) -> None:
    """In the forked child: become an ordinary ipykernel, then exit without returning."""
    code = 1
    template_pid = os.getppid()
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses need their status
        from toolkit.run.processes import die_with_parent

        die_with_parent(parent=template_pid)  # ends with the template, even mid-cell
        os.setsid()  # its own session and process group, as jupyter_client gives every kernel
        try:
            os.close(replies.fileno())  # the reply channel is the template's alone
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            pass
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        if "numpy.random" in sys.modules:  # its global state is not reseeded by fork, unlike `random`'s
            sys.modules["numpy.random"].seed()
        import importlib.util

        from ipykernel import kernelapp

        # What a kernel started by ``python -m ipykernel_launcher -f ...`` would see.
        spec = importlib.util.find_spec("ipykernel_launcher")
        assert spec is not None and spec.origin is not None, "ipykernel is installed (it was just imported)"
        sys.argv = [spec.origin, *request["argv"]]
        # The kernel ends itself if the template (its parent) goes away.
        kernelapp.launch_new_instance(argv=[*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
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
    # Replies go through a private copy of stdout; fd 1 itself becomes stderr, so
    # whatever a preloaded module (or a kernel) prints cannot corrupt the replies.
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    from toolkit.run.processes import die_with_parent

    if os.environ.get(PARENT_ENV, "").isdigit():  # and its kernels die with it
        die_with_parent(parent=int(os.environ.pop(PARENT_ENV)))
    serve(preload, sys.stdin, replies)


if __name__ == "__main__":
    main(sys.argv[1:])
