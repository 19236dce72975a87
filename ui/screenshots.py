"""Renders every main screen to PNG, in English and in Arabic, offscreen — for reviewers."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def render_all(out_dir: Path, db: Path | None = None) -> list[Path]:
    from PySide6.QtWidgets import QWidget

    from core.auth import Role
    from storage.bootstrap import build_services
    from storage.db import open_store
    from storage.seed import seed_demo
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.ops import wait_for_background

    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = None
    if db is None:
        scratch = tempfile.TemporaryDirectory()
        db = Path(scratch.name) / "screens.sqlite"
    store = open_store(db)
    if not store.branch_id:
        seed_demo(store, customers=300)
    services = build_services(store)
    app, language = make_application([])
    written: list[Path] = []

    def grab(widget: QWidget, name: str) -> None:
        wait_for_background()
        app.processEvents()
        path = out_dir / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    pins = {Role.ADMIN: "4444", Role.MANAGER: "3333", Role.CASHIER: "1111"}
    for lang in ("en", "ar"):
        language.set_language(lang)
        window = MainWindow(services, language)
        window.resize(1366, 820)
        window.show()
        grab(window, f"{lang}-01-sign-in")
        staff = services.staff.staff_of_branch(store.branch_id)
        admin = next(s for s in staff if s.role == Role.ADMIN)
        window.enter(services.staff.sign_in(admin.id, pins[Role.ADMIN]))
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
    store.close()
    if scratch is not None:
        scratch.cleanup()
    return written
