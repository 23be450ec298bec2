"""The `archiver` app: global options (before or after the command), one-line errors, and
`command()`, which registers a command with them.

Every command takes `--archive`, `--database`, `--store`, `--connect-to`, `-q/--quiet` and
`-v/--verbose` wherever they
are written (`archiver --archive X stats` and `archiver stats --archive X` are the same); a
value given after the command wins. A usage error is one line and exit 2; an ArchiverError (or
what `errors.explain` recognises: a full disk, a corrupted database) is one line and its exit
code; anything else is a bug and shows its traceback.

Only typer is imported here: each command imports what it needs when it runs, so `--help`,
`--version` and `extract` start fast.
"""

from __future__ import annotations

import inspect
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from typer.core import TyperGroup

from ..config import Settings
from ..errors import (
    EXIT_USAGE,
    RESUMABLE,
    ArchiverError,
    ClosedPipe,
    exit_on_signal,
    explain,
    interruption,
    stopped_run,
)
from . import render
from .render import emit_json  # noqa: F401  (commands import it from here)

EXAMPLES = {
    "init": "archiver init --archive ./archive",
    "stats": "archiver stats --json",
    "config": "archiver config --json",
    "extract": "archiver extract seeds/ --jsonl",
    "archive": "archiver archive seeds/ https://x.com/jack/status/20",
    "retry": "archiver retry",
    "recheck": "archiver recheck 20",
    "show": "archiver show 20 --json",
    "verify": "archiver verify --since 30d",
    "export": "archiver export 20 -o bundle.zip",
    "similar": "archiver similar 20 --distance 8",
    "wayback": "archiver wayback 20",
    "stamp": "archiver stamp --pending",
    "list": "archiver list --state gone --document seeds/report.txt",
    "search": "archiver search 'حمص' --json",
    "serve": "archiver serve --port 8000",
    "work": "archiver work --database postgresql://archiver@db/archive --store s3://archive/x",
    "migrate": "archiver migrate --to postgresql://archiver@db/archive --store s3://archive/x",
}
F = TypeVar("F", bound=Callable[..., Any])


class Group(TyperGroup):
    """The root command: usage errors as one line (`archiver stats: error: …`), exit 2."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except typer.Abort:
            render.error("archiver", "aborted")
            sys.exit(130)
        except Exception as exc:
            if not _usage_error(exc):
                raise
            if type(exc).__name__ == "NoArgsIsHelpError":
                sys.stdout.write(exc.format_message() + "\n")
                sys.exit(EXIT_USAGE)
            context = getattr(exc, "ctx", None)
            where = context.command_path if context is not None else "archiver"
            hint = f" (see `{where} --help`)" if context is not None else ""
            render.error(f"{where}: error", f"{exc.format_message()}{hint}")  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        flush_stdout()
        sys.exit(code if isinstance(code, int) else 0)


def _usage_error(exc: BaseException) -> bool:
    """Whether `exc` is one of click's errors for the user (a usage error, a bad value)."""
    return hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int)


def flush_stdout() -> None:
    """Flush what the command printed: a full disk there is one line too."""
    try:
        with render.stdout():
            sys.stdout.flush()
    except ArchiverError as exc:
        render.error("archiver: error", str(exc))
        sys.exit(exc.exit_code)
    except typer.Exit as exc:  # a closed pipe
        sys.exit(exc.exit_code)


@dataclass
class State:
    """The global options as given so far (the root's, then the command's)."""

    flags: dict[str, Any] = field(default_factory=dict)
    quiet: int = 0
    verbose: int = 0
    _settings: Settings | None = None

    @property
    def verbosity(self) -> int:
        """0 with -q (errors only), 1 by default, 2 and more with -v."""
        return 0 if self.quiet else 1 + self.verbose

    def merge(
        self,
        archive: Path | None,
        connect_to: list[str] | None,
        quiet: int,
        verbose: int,
        places: dict[str, str | None] | None = None,
    ) -> None:
        if archive is not None:
            self.flags["home"] = archive
        self.flags.update({k: v for k, v in (places or {}).items() if v})
        if connect_to:
            self.flags["connect_to"] = [*self.flags.get("connect_to", []), *connect_to]
        self.quiet += quiet
        self.verbose += verbose

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = Settings.load(self.flags)
        return self._settings


ArchiveOpt = Annotated[
    Path | None,
    typer.Option(
        "--archive",
        metavar="PATH",
        show_default=False,
        help="Archive home (env ARCHIVER_HOME, config `home`; default ./archive).",
    ),
]
ConnectOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--connect-to",
        metavar="HOST=URL",
        show_default=False,
        help="Send HOST's requests to URL's origin, e.g. '*=http://127.0.0.1:8901' "
        "(repeatable; env ARCHIVER_CONNECT_TO).",
    ),
]
DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        metavar="URL",
        show_default=False,
        help="A team archive's database, postgresql://USER@HOST/NAME (env ARCHIVER_DATABASE).",
    ),
]
StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        metavar="URL",
        show_default=False,
        help="A team archive's blobs, s3://BUCKET/PREFIX (env ARCHIVER_STORE).",
    ),
]
QuietOpt = Annotated[
    int,
    typer.Option(
        "-q", "--quiet", count=True, show_default=False, help="Print only errors and results."
    ),
]
VerboseOpt = Annotated[
    int,
    typer.Option(
        "-v", "--verbose", count=True, show_default=False, help="Print a line for every item."
    ),
]
GLOBALS = [
    inspect.Parameter(
        "g_archive", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=ArchiveOpt
    ),
    inspect.Parameter(
        "g_database", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=DatabaseOpt
    ),
    inspect.Parameter("g_store", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=StoreOpt),
    inspect.Parameter(
        "g_connect_to", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=ConnectOpt
    ),
    inspect.Parameter("g_quiet", inspect.Parameter.KEYWORD_ONLY, default=0, annotation=QuietOpt),
    inspect.Parameter(
        "g_verbose", inspect.Parameter.KEYWORD_ONLY, default=0, annotation=VerboseOpt
    ),
]


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        sys.stdout.write(f"archiver {__version__}\n")
        raise typer.Exit()


app = typer.Typer(
    name="archiver",
    cls=Group,
    help="Preserve cited X/Twitter posts in a content-addressed archive with SHA-256 fixity.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="\b\nExamples:\n" + "\n".join(f"  {e}" for e in EXAMPLES.values()),
)


@app.callback()
def main(
    ctx: typer.Context,
    archive: ArchiveOpt = None,
    database: DatabaseOpt = None,
    store: StoreOpt = None,
    connect_to: ConnectOpt = None,
    quiet: QuietOpt = 0,
    verbose: VerboseOpt = 0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    state = State()
    state.merge(archive, connect_to, quiet, verbose, {"database": database, "store": store})
    ctx.obj = state


def state_of(ctx: typer.Context) -> State:
    obj = ctx.find_object(State)
    if obj is None:  # a command invoked on its own (no root callback ran)
        obj = ctx.ensure_object(State)
    return obj


def settings(ctx: typer.Context) -> Settings:
    """The effective settings of this invocation (flags > env > archive config > user config)."""
    return state_of(ctx).settings


def open_archive(ctx: typer.Context, create: bool = False):  # type: ignore[no-untyped-def]
    """The archive the settings name (its home, and a team's database and store if set)."""
    from ..archive import Archive

    given = settings(ctx)
    return Archive.open(given.home, create=create, settings=given)


def verbosity(ctx: typer.Context) -> int:
    return state_of(ctx).verbosity


def command(name: str, summary: str, example: str | None = None) -> Callable[[F], F]:
    """Register `func` as command `name`, with the global options and one-line errors. The
    function may take a `ctx: typer.Context` for `settings(ctx)` and `verbosity(ctx)`."""

    def register(func: F) -> F:
        signature = inspect.signature(func, eval_str=True)
        own = [p for p in signature.parameters.values() if p.annotation is not typer.Context]
        wants_ctx = [p.name for p in signature.parameters.values() if p not in own]
        params = [
            inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context),
            *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own),
            *GLOBALS,
        ]

        def run(**kwargs: Any) -> Any:
            ctx = kwargs.pop("ctx")
            state = state_of(ctx)
            state.merge(
                kwargs.pop("g_archive"),
                kwargs.pop("g_connect_to"),
                kwargs.pop("g_quiet"),
                kwargs.pop("g_verbose"),
                {"database": kwargs.pop("g_database"), "store": kwargs.pop("g_store")},
            )
            if wants_ctx:
                kwargs[wants_ctx[0]] = ctx
            _command_signals()
            return guarded(name, lambda: func(**kwargs))

        run.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in params}
        run.__doc__ = func.__doc__
        example_text = example or EXAMPLES.get(name, "")
        app.command(
            name,
            help=f"{summary}\n\nExample: {example_text}",
            short_help=summary,
        )(run)
        return func

    return register


class Stopped(KeyboardInterrupt):
    """SIGTERM: the command stops as at ^C (what is committed stays; `retry` finishes the rest)."""


def _command_signals() -> None:
    """From here on ^C and SIGTERM stop the command, which says so (exit 130, 143), where the
    process's entry point (cli.main) had them end it quietly while it started."""
    if signal.getsignal(signal.SIGINT) is exit_on_signal:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _stop)


def _stop(_signum: int, _frame: object) -> None:
    raise Stopped


def guarded(name: str, body: Callable[[], Any]) -> Any:
    """Run `body`; what the user must fix or the system refused becomes one line and its exit
    code (a bug keeps its traceback)."""
    try:
        return body()
    except ArchiverError as exc:
        _fail(name, exc)
    except KeyboardInterrupt as exc:  # ^C, or SIGTERM (see cli.main)
        _interrupted(name, exc)
    except Exception as exc:
        if isinstance(exc, typer.Exit) or _usage_error(exc):
            raise
        if (signal_exc := interruption(exc)) is not None:
            _interrupted(name, signal_exc)
        mapped = explain(exc)
        if mapped is None:
            raise
        _fail(name, mapped)


def _interrupted(name: str, exc: KeyboardInterrupt) -> NoReturn:
    stopped = isinstance(exc, Stopped)
    render.error(f"archiver {name}", "stopped (SIGTERM)" if stopped else "interrupted")
    raise typer.Exit(143 if stopped else 130) from None


def _fail(name: str, exc: ArchiverError) -> NoReturn:
    """One line for the error, and for a capture run that stopped part way, what to do next."""
    if isinstance(exc, ClosedPipe):  # `| head` took what it wanted: nothing to say
        render.quiet_stdout()
        raise typer.Exit(exc.exit_code) from None
    message = str(exc)
    if name in RESUMABLE and stopped_run(exc):
        message += "; what was committed stays, `archiver retry` finishes the rest"
    render.error(f"archiver {name}: error", message)
    raise typer.Exit(exc.exit_code) from None


def __getattr__(name: str) -> Any:
    """`out` and `err`: the consoles, made when first used (rich loads only then)."""
    if name in ("out", "err"):
        return render.console(stderr=name == "err")
    raise AttributeError(name)
