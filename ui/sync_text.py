"""Sync state in words, shared by the status bar and the sync page; and the relay that brings the worker's
status (published on its own thread) to the main thread as a queued signal."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal

from core.offline.allowances import LinkState, SyncProblem, SyncStatus
from ui.i18n import datetime_text


class SyncStatusRelay(QObject):
    """Lives on the main thread; the worker calls ``changed.emit`` from its thread, slots run here."""

    changed = Signal(object)  # SyncStatus


def state_text(state: LinkState) -> str:
    return {
        LinkState.STANDALONE: QCoreApplication.translate("sync", "Standalone (no head office)"),
        LinkState.ONLINE: QCoreApplication.translate("sync", "Online"),
        LinkState.OFFLINE: QCoreApplication.translate("sync", "Offline"),
        LinkState.SYNCING: QCoreApplication.translate("sync", "Syncing…"),
    }[state]


def problem_text(problem: SyncProblem | None) -> str:
    if problem is None:
        return ""
    return {
        SyncProblem.UNREACHABLE: QCoreApplication.translate("sync", "Head office cannot be reached."),
        SyncProblem.CREDENTIALS: QCoreApplication.translate(
            "sync", "Head office does not accept this branch's credentials. Enrol the branch again."
        ),
        SyncProblem.CONFLICT: QCoreApplication.translate(
            "sync", "Head office holds different records for this branch (was the store restored from a copy?)."
        ),
        SyncProblem.REJECTED: QCoreApplication.translate("sync", "Head office refused a batch of changes."),
        SyncProblem.SERVER: QCoreApplication.translate("sync", "Head office had an error; it will be retried."),
        SyncProblem.STORE: QCoreApplication.translate("sync", "This till's database could not be read for sync."),
    }[problem]


def last_success_text(status: SyncStatus) -> str:
    if status.last_success_at is None:
        return QCoreApplication.translate("sync", "Never synced")
    return QCoreApplication.translate("sync", "Last sync %1").replace("%1", datetime_text(status.last_success_at))


def progress_text(status: SyncStatus) -> str:
    progress = status.progress
    if progress is None or progress.total <= 0:
        return ""
    percent = min(100, int(100 * progress.done / progress.total))
    phase = {
        "push": QCoreApplication.translate("sync", "Sending"),
        "pull": QCoreApplication.translate("sync", "Receiving"),
        "resync": QCoreApplication.translate("sync", "Full copy"),
    }.get(progress.phase, progress.phase)
    return f"{phase} {percent}%"


def summary(status: SyncStatus) -> str:
    """One line for the status bar: state, progress or last success, and the last error in words."""
    parts = [state_text(status.state)]
    if status.state == LinkState.STANDALONE:
        return parts[0]
    parts.append(progress_text(status) or last_success_text(status))
    if status.problem is not None:
        parts.append(problem_text(status.problem))
    return " · ".join(p for p in parts if p)
