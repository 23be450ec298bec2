"""`@word`s that look like handles but are code or markup: CSS at-rules, annotations and
decorators, BibTeX's entries, Pandoc's citation keys and Quarto's cross-references, anything in
a Markdown code block or a code span."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .htmlview import TextView

# `@word`s that are code wherever they are written: CSS and Sass at-rules, Java, Kotlin, Swift
# and TypeScript annotations, Python decorators, doc-comment tags (Javadoc's, PHPDoc's),
# Laravel Blade's directives; and the group mentions of Slack and Discord (`@here`), WhatsApp,
# Teams and GitLab (`@all`). Only in their own spelling (`@media`, `@Override`): `@Media` is an
# account as any other.
CODE_WORDS = frozenset(
    """
    media import charset namespace supports keyframes layer container property page
    tailwind apply screen variants include mixin extend use forward each function return
    if else warn debug content
    Override Deprecated SuppressWarnings FunctionalInterface SafeVarargs Test BeforeEach
    AfterEach BeforeAll AfterAll Autowired Component Service Repository Controller
    RestController Entity Table Column Bean Configuration Inject Nullable NonNull NotNull
    Transactional RequestMapping GetMapping PostMapping PathVariable RequestParam RequestBody
    JsonProperty Injectable NgModule Input Output HostListener ViewChild Composable Directive
    Data Builder Getter Setter Mock InjectMocks Spy observable computed click login_required
    dataclass staticmethod classmethod abstractmethod cached_property lru_cache contextmanager
    overload override total_ordering wraps
    objc objcMembers IBOutlet IBAction IBDesignable IBInspectable escaping autoclosure
    discardableResult MainActor Published StateObject ObservedObject EnvironmentObject State
    Binding Environment AppStorage ViewBuilder FocusState GestureState Observable Bindable
    ARGV INC ISA EXPORT EXPORT_OK
    JvmStatic JvmField JvmOverloads JvmName JvmInline
    channel here everyone all
    param returns throws since see link deprecated typedef example
    var
    endif foreach endforeach forelse endforelse endfor endwhile csrf endsection endpush
    endprepend endphp endauth endguest isset endisset endunless endswitch livewire endverbatim
    """.split()
)


# Blade's directives that are words too (`@yield('content')`): code only as a call
BLADE_CALLS = frozenset(
    "yield section extends stack push prepend auth guest unless switch props php method error "
    "can cannot env production once verbatim hasSection sectionMissing".split()
)
BIBTEX_TYPES = frozenset(
    """article book booklet conference inbook incollection inproceedings manual mastersthesis misc
    phdthesis proceedings techreport unpublished online electronic www report thesis dataset
    software patent periodical collection reference mvbook string preamble comment""".split()
)
MATRIX_SERVER_RE = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")  # (a domain's name)
NPM_VERSION = re.compile(r"/[a-z0-9][\w.-]*@\^?~?\d")  # `@types/node@20.1`
# `npm i @types/node`, `Install @babel/core`, `the @angular/core package`
PACKAGE_MANAGER_RE = re.compile(  # (`@nytimes/politics` alone is a list of X's, as it wrote them)
    r"\b(?:npm|npx|yarn|pnpm|bun|[Ii]nstall(?:ed|ing|s)?|import|require|packages?|dependency"
    r"|dependencies|[Dd]epends? on|[Bb]uilt (?:with|on)|[Pp]owered by)\b"
)
# @font-face, @view-…; and Quarto's cross-references, `@fig-map`, `@tbl-counts`.
HYPHENED = frozenset(
    "font counter starting view position fig tbl sec eq lst thm lem cor prp cnj def exm exr sol "
    "rem alg".split()
)


def code_word(text: str, handle: str, start: int, end: int) -> bool:
    """Whether `@handle` at `start` is code: a known at-rule, annotation or tag; in a code span
    (one backtick before it: two are TeX's opening quotes); a CSS at-rule of two words
    (`@font-face`) or a Quarto cross-reference (`@fig-map`); a BibTeX entry's type."""
    if handle in CODE_WORDS or (handle in HYPHENED and text.startswith("-", end)):
        return True
    after = text[end : end + 2]
    if after[:1] == "(" and handle in BLADE_CALLS:
        return True
    if (after[:1] == "{" and after != "{{") or (
        after[:1] == "(" and handle.lower() in BIBTEX_TYPES and _line_starts(text, start)
    ):
        return True  # BibTeX's entries: `@misc{key,`, `@article(key,` (which opens a line)
    if after[:1] == "/" and (
        text[start - 1 : start] in ("'", '"')
        or NPM_VERSION.match(text, end)
        or (  # npm's scopes are lowercase
            handle.islower()
            and PACKAGE_MANAGER_RE.search(
                text, max(text.rfind("\n", 0, start), start - 200, 0), start
            )
            is not None
        )
    ):
        return True  # npm's: `from "@angular/core"`, `@types/node@20`, `npm i @a/b`, `Install …`
    if after[:1] == ":" and MATRIX_SERVER_RE.match(text, end + 1):
        return True  # Matrix's user ids: `@jotrorox:matrix.org`
    if text[start - 1 : start] == "\\":  # TeX's internal commands: `\@ifundefined`
        return True
    return text[start - 1 : start] == "`" and text[start - 2 : start] != "``"


def _line_starts(text: str, pos: int) -> bool:
    """Whether only spaces stand between the line's start and `pos` (read back from `pos`, so
    a long line costs no more than its spaces)."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n"


# A Markdown code block fenced with backticks or tildes, to its closing fence (or the end).
FENCED_CODE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?(?:^[ \t]*\1|\Z)", re.MULTILINE | re.DOTALL)


def _fenced_code(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in FENCED_CODE_RE.finditer(text)]


# A Markdown code block indented four spaces or a tab, after a blank line below a line that is
# not indented and not a list's item (a list item's later paragraphs are indented as well).
INDENTED_CODE_RE = re.compile(
    r"^(?!(?:[-*+]|\d{1,9}[.)])[ \t])\S[^\n]*\n(?:[ \t\r]*\n)+"
    r"((?:(?: {4}|\t)[ \t]*\S[^\n]*(?:\n|\Z)(?:[ \t\r]*\n)*)+)",
    re.MULTILINE,
)


def _indented_code(text: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in INDENTED_CODE_RE.finditer(text)]


# Pandoc's citations (Pandoc, Quarto, R Markdown): keys in brackets, several (`[@a; @b]`), or
# with a locator (`[@a, p. 33]`), a prefix (`[see @a]`) or the author left out (`[-@a]`); in a
# document whose front matter names a bibliography, any key in brackets.
CITATION_GROUP_RE = re.compile(r"\[[^\[\]\n]{0,400}?@[^\[\]\n]{0,400}\]")
PANDOC_FORM_RE = re.compile(r"@[^\s;\]]+\s*;\s*-?@|\[(?:see|cf\.?|e\.g\.,?)\s+-?@", re.IGNORECASE)
# A key with a locator, or with its author left out: Pandoc's in any document.
LOCATOR_RE = re.compile(
    r"@[^\s,;\]]+,\s*(?:pp?|chap|ch|sec|fig|vol|para|n)\.?\s*\d|\[-@", re.IGNORECASE
)
BIBLIOGRAPHY_RE = re.compile(
    r"\A---[ \t]*\n(?:(?!---|\.\.\.)[^\n]*\n){0,200}?(?:bibliography|references|csl):",
    re.MULTILINE,
)


def _citation_keys(text: str, markdown: bool) -> list[tuple[int, int]]:
    """Spans of Pandoc citations: their `@key`s are a bibliography's, not accounts. Keys in a
    list (`[@a; @b]`) or after a prefix (`[see @a]`) only in Markdown, where Pandoc reads them;
    any bracketed key where the front matter names a bibliography."""
    any_group = BIBLIOGRAPHY_RE.match(text) is not None
    return [
        m.span()
        for m in CITATION_GROUP_RE.finditer(text)
        if any_group
        or LOCATOR_RE.search(m.group(0))
        or (markdown and PANDOC_FORM_RE.search(m.group(0)))
    ]


IN_TEXT_KEY_RE = re.compile(r"(?<![\w@])@\w[\w:.#$%&+?<>~/-]*")
PANDOC_SUFFIXES = tuple(".md .markdown .mkd .mdown .mkdn .mdwn .text .qmd .rmd .pmd .mdx".split())


HTML_CODE_RE = re.compile(r"<(pre|code)\b[^<>]*>", re.IGNORECASE)
HTML_CODE_END = {name: re.compile(rf"</{name}\b", re.IGNORECASE) for name in ("pre", "code")}
HTML_CODE_REACH = 65536  # a code block longer than this is cut: its end is looked for no further


def code_spans(
    text: str, document: str = "-", html: tuple[str, TextView] | None = None
) -> list[tuple[int, int]]:
    """Spans of `text` whose `@word`s are never accounts (code blocks, indented ones in Markdown
    only, Pandoc's citations; with `html`, the page's source and the view `text` is, its `<pre>`
    and `<code>` elements), sorted and merged."""
    markdown = document.lower().endswith(PANDOC_SUFFIXES)
    spans = _fenced_code(text) if "```" in text or "~~~" in text else []
    if html is not None:
        spans += _html_code(*html)
    if markdown and ("\n    " in text or "\n\t" in text):
        spans += _indented_code(text)
    if "[" in text and "@" in text:
        spans += _citation_keys(text, markdown)
    if markdown and "@" in text and BIBLIOGRAPHY_RE.match(text):
        # Pandoc reads `@key` in the text as a citation too (`As @vosoughi2018 showed`)
        spans += [m.span() for m in IN_TEXT_KEY_RE.finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _html_code(src: str, view: TextView) -> list[tuple[int, int]]:
    """The view spans of a page's `<pre>` and `<code>` elements (`<pre><code>@retry</code>`)."""
    spans: list[tuple[int, int]] = []
    end = 0
    for m in HTML_CODE_RE.finditer(src):
        if m.start() < end:
            continue  # (a `<code>` inside the `<pre>` read)
        close = HTML_CODE_END[m.group(1).lower()].search(src, m.end(), m.end() + HTML_CODE_REACH)
        end = close.start() if close else min(len(src), m.end() + HTML_CODE_REACH)
        spans.append((view.view_offset(m.end()), view.view_offset(end)))
    return spans
