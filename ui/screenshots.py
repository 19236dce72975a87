"""Renders every main screen to PNG, in English and in Arabic, offscreen — for reviewers."""

from __future__ import annotations

from pathlib import Path

from core.ports import AppServices


def render_all(out_dir: Path, services: AppServices) -> list[Path]:
    """Signs in as the demo administrator (PIN 4444) and grabs each screen; needs a demo store."""
    from PySide6.QtWidgets import QWidget

    from core.auth import Role
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.ops import wait_for_background

    out_dir.mkdir(parents=True, exist_ok=True)
    branch = services.branch()
    assert branch is not None
    app, language = make_application([])
    written: list[Path] = []

    def grab(widget: QWidget, name: str) -> None:
        wait_for_background()
        app.processEvents()
        path = out_dir / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    for lang in ("en", "ar"):
        language.set_language(lang)
        window = MainWindow(services, language)
        window.resize(1366, 820)
        window.show()
        grab(window, f"{lang}-01-sign-in")
        staff = services.staff.staff_of_branch(branch.id)
        admin = next(s for s in staff if s.role == Role.ADMIN)
        window.enter(services.staff.sign_in(admin.id, "4444"))
        page = window.workspace.customers
        page.search.setText("محمد" if lang == "ar" else "moh")
        page.run_search()
        wait_for_background()
        grab(window, f"{lang}-02-customer-search")
        if page.results.rows:
            page.open_customer(page.results.rows[0].id)
            wait_for_background()
            grab(window, f"{lang}-03-customer-profile")
            page.tabs.setCurrentIndex(1)
            grab(window, f"{lang}-04-customer-history")
            page.tabs.setCurrentIndex(0)
        page.new_customer()
        page.form.edits["mobile"].setText("123")
        page.save()
        wait_for_background()
        grab(window, f"{lang}-05-new-customer-errors")
        for key in ("sync", "staff"):
            window.workspace.show_page(key)
            grab(window, f"{lang}-06-{key}")
        window.close()
        window.deleteLater()
        app.processEvents()
    return written
