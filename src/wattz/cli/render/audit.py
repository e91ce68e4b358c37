"""The audit's short summary: what came in and what changed, a line each."""

from __future__ import annotations

from collections.abc import Iterator

from wattz.services.audit import AuditReport


def audit_lines(report: AuditReport) -> Iterator[str]:
    prefix = "dry run — would change" if report.dry_run else "audit"
    for athlete in report.athletes:
        if not athlete.did_something:
            continue
        head = f"{prefix} {report.date.isoformat()}"
        if len(report.athletes) > 1:
            head += f" ({athlete.athlete})"
        counts = []
        if athlete.imported:
            counts.append(_count(len(athlete.imported), "ride") + " imported")
        if athlete.failed:
            counts.append(_count(len(athlete.failed), "file") + " not readable")
        if athlete.classified:
            counts.append(_count(athlete.classified, "workout") + " classified")
        repairs = [c for c in athlete.changes if c.action != "classify"]
        counts.append(_count(len(repairs), "change") if repairs else "no repairs needed")
        yield f"{head}: " + ", ".join(counts)
        for failed in athlete.failed:
            yield f"  ! {failed.path}: {failed.problem}"
        for change in repairs:
            yield f"  #{change.id} {change.trigger} → {change.action}: {change.reason}"
        if athlete.ftp_suggestion:
            yield f"  FTP: {athlete.ftp_suggestion}"
        for line in athlete.notes:
            yield f"  note: {line}"
        if repairs and not report.dry_run:
            yield "  see them with: wattz changes — undo one with: wattz changes undo ID"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
