"""`ship check --format json|sarif`: the diagnostics of every file checked, as one document
on standard output, for editors and code-scanning annotations.

json: a list, one object per diagnostic, in the order found:

    {"file": "app.ship", "line": 4, "column": 12, "end_line": 4, "end_column": 17,
     "severity": "error", "message": "port 99999 is out of range (1-65535)", "hint": null,
     "included_from": []}

`file` is the file the diagnostic is in (an included file's name, relative to the working
folder); `included_from` lists the includes that led there, innermost first, as
{"file", "line", "column"}. A file that cannot be read at all gives one diagnostic with
`line` and the rest null. Columns count characters, from 1; `end_column` is exclusive.

sarif: the same as a SARIF 2.1.0 log with one run (tool `ship`), one result per
diagnostic, `level` error or warning, the region's `endColumn` exclusive as SARIF has it.
"""

from __future__ import annotations

import json

from . import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .errors import Diagnostic


class Findings:
    """Collects the diagnostics of a run; `document()` writes them in the chosen format."""

    def __init__(self, form: str, stdin_name: str | None):
        self.form = form
        self.stdin_name = stdin_name
        self.items: list[dict] = []

    def add(self, diagnostics: tuple[Diagnostic, ...], name: str, sources) -> None:
        """The diagnostics of the file compiled as `name` (`sources`: the files it read)."""
        for d in diagnostics:
            span = d.span
            chain = sources.chain(span) if sources is not None and span.file else ()
            self.items.append(
                {
                    "file": span.file or name,
                    "line": span.line,
                    "column": span.column,
                    "end_line": span.end_line,
                    "end_column": span.end_column,
                    "severity": d.severity,
                    "message": d.message,
                    "hint": d.hint,
                    "included_from": [
                        {"file": file, "line": at.line, "column": at.column} for file, at in chain
                    ],
                }
            )

    def problem(self, source: str, message: str) -> None:
        """A file that could not be read (or written): no position."""
        name = (self.stdin_name or "<stdin>") if source == "-" else source
        empty = dict.fromkeys(("line", "column", "end_line", "end_column"))
        item = {"file": name, **empty, "severity": "error", "message": message, "hint": None}
        self.items.append({**item, "included_from": []})

    def document(self) -> str:
        data = self.items if self.form == "json" else _sarif(self.items)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _sarif(items: list[dict]) -> dict:
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "ship", "version": __version__}},
                "results": [_result(item) for item in items],
            }
        ],
    }


def _result(item: dict) -> dict:
    from urllib.parse import quote

    message = item["message"] + (f" (hint: {item['hint']})" if item["hint"] else "")
    location: dict = {"artifactLocation": {"uri": quote(item["file"].replace("\\", "/"))}}
    if item["line"] is not None:
        location["region"] = {
            "startLine": item["line"],
            "startColumn": item["column"],
            "endLine": item["end_line"],
            "endColumn": item["end_column"],
        }
    return {
        "level": item["severity"],
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
    }
