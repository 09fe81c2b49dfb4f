"""What the app does for the file's safety once a database is open: warn, and back up daily."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Static

from desta_tui.domain.errors import DestaError
from desta_tui.services.session import release_thread_connection, risky_location_warning


def on_database_open(app: App) -> None:
    """Warn once about a risky place, and start today's automatic backup in a worker."""
    warning = risky_location_warning(getattr(app, "database", None))
    if warning:
        app.notify(warning, title="Risky place for the database", severity="warning", timeout=30)
    from desta_tui.services.backup_plan import automatic_backup_plan

    plan = automatic_backup_plan()  # reads settings here, on the main thread
    if plan is None:
        return

    def back_up() -> None:
        from desta_tui.services.backup import run_automatic_backup

        try:
            result = run_automatic_backup(plan)
        except DestaError as error:
            app.call_from_thread(
                app.notify, f"Today's backup failed: {error}", title="Backup", severity="error"
            )
            return
        if result is not None:
            app.call_from_thread(app.notify, f"Today's backup: {result.path}", title="Backup")

    app.run_worker(back_up, thread=True, group="backup", name="daily-backup", exit_on_error=False)


def run_in_thread(function, *args, **kwargs):
    """Call a service from a worker thread, closing that thread's own database connection after."""
    try:
        return function(*args, **kwargs)
    finally:
        release_thread_connection()


def back_up_now(app: App, message: Static | None = None) -> None:
    """Copy the database into the backups folder in a worker; say where, or why not."""

    def say(text: str, severity: str = "information") -> None:
        if message is not None:
            message.update(text)
        app.notify(text, title="Backup", severity=severity)

    def back_up() -> None:
        from desta_tui.services.backup import backup_database

        try:
            result = backup_database()
        except DestaError as error:
            app.call_from_thread(say, str(error), "error")
            return
        app.call_from_thread(say, f"Backed up to {result.path} (integrity checked).")

    if message is not None:
        message.update("Backing up…")
    app.run_worker(back_up, thread=True, group="backup", name="backup-now", exit_on_error=False)
