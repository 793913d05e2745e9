"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's
live server, with axe-core (from npm) injected into the pages.

Skip policy: without chromium or without axe-core, the tests of this folder are skipped
with the reason; with PORTAL_REQUIRE_BROWSER=1 (CI) they fail with that reason instead.
"""

import io
import os
import re
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
AXE_JS = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"
# Served by Playwright itself (page.route) on the live server's origin, so that the
# site's Content-Security-Policy (script-src 'self') stays enforced during the tests.
AXE_URL_PATH = "/__browser-tests__/axe.min.js"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.0/2.1 A and AA rules; "serious" and "critical" violations fail the test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = {"serious", "critical"}

ACTION_TIMEOUT_MS = 15_000
EXPECT_TIMEOUT_MS = 10_000

ARTIFACTS_DIR = REPO_DIR / "test-results" / "browser"


def chromium_path():
    return os.environ.get("PORTAL_CHROMIUM") or "/usr/bin/chromium"


def missing_requirements():
    """The reasons the browser tests cannot run here (empty list: they can)."""
    reasons = []
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        reasons.append(f"chromium introuvable ({path}): apt-get install chromium (ou PORTAL_CHROMIUM=/chemin)")
    if not AXE_JS.is_file():
        reasons.append(f"axe-core absent ({AXE_JS.relative_to(REPO_DIR)}): npm ci")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reasons.append("paquet Python playwright absent: pip install -r requirements-test.txt")
    return reasons


def require_or_skip(reasons):
    if not reasons:
        return
    message = "; ".join(reasons)
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"PORTAL_REQUIRE_BROWSER=1 mais {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def browser_requirements():
    """Autouse for this folder, session-scoped: checked once per worker, before the test
    database, the live server or the demo data are set up (pytest caches the skip or
    failure for every following test of the folder)."""
    require_or_skip(missing_requirements())


@pytest.fixture(scope="session")
def _playwright(browser_requirements):
    from playwright.sync_api import expect, sync_playwright

    # The sync API keeps an asyncio loop running in this thread; Django's async-safety
    # check would then refuse every ORM call (fixtures, flush, the live server is in its
    # own thread). Relaxed only while Playwright runs, restored afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    # Starting the sync API switches this thread to another contextvars context, where
    # Django's `connections` (an asgiref Local) would hand out new wrappers, without the
    # `_test_serialized_contents` that serialized_rollback needs when the test database
    # was set up before (by an earlier test of the worker): keep the same wrappers.
    from django.db import connections

    wrappers = {alias: connections[alias] for alias in connections}
    manager = sync_playwright()
    playwright = manager.start()
    for alias, wrapper in wrappers.items():
        if connections[alias] is not wrapper:
            connections[alias] = wrapper
    try:
        yield playwright
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    """One headless chromium per pytest(-xdist) worker."""
    browser = _playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(request, browser, live_server):
    """A fresh context (no cookies) and page on the live server, in French.

    The site's CSP stays enforced (axe is served from the same origin, see axe_check);
    any CSP violation or uncaught JavaScript error fails the test at teardown. On
    failure, a screenshot and the HTML land in test-results/browser/."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.route(f"{live_server.url}{AXE_URL_PATH}", lambda route: route.fulfill(
        path=str(AXE_JS), content_type="application/javascript; charset=utf-8"
    ))
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"erreur JavaScript: {error}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}")
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    yield page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        _save_artifacts(request.node, page)
    context.close()
    if problems and not failed:
        pytest.fail("Problèmes dans le navigateur:\n" + "\n".join(problems), pytrace=False)


def _save_artifacts(node, page):
    target = ARTIFACTS_DIR / re.sub(r"[^A-Za-z0-9_.-]+", "_", node.nodeid)
    try:
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / "page.png"), full_page=True)
        (target / "page.html").write_text(page.content(), encoding="utf-8")
        (target / "url.txt").write_text(page.url + "\n", encoding="utf-8")
    except Exception as exc:  # the page may be gone; the failure itself matters more
        print(f"artefacts non enregistrés: {exc}")


def _format_violations(violations, url):
    lines = [f"axe-core: {len(violations)} violation(s) sur {url}"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    cible {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("summary"):
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


_AXE_RUN = """async (tags) => {
    const results = await window.axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
    }));
}"""


@pytest.fixture
def axe_check():
    """axe_check(page): runs axe-core (WCAG 2.0/2.1 A and AA) on the current page and
    fails on any "serious" or "critical" violation, with rule ids, help and targets.
    Returns the minor/moderate violations (also printed)."""

    def check(page):
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=AXE_URL_PATH)
        violations = page.evaluate(_AXE_RUN, AXE_TAGS)
        blocking = [v for v in violations if v["impact"] in AXE_FAILING_IMPACTS]
        others = [v for v in violations if v["impact"] not in AXE_FAILING_IMPACTS]
        if others:
            print(_format_violations(others, page.url))
        if blocking:
            pytest.fail(_format_violations(blocking, page.url), pytrace=False)
        return others

    return check


@pytest.fixture
def live_demo(request, transactional_db, django_db_serialized_rollback, live_server):
    """The demo commune (manage.py load_demo) in the live server's database.

    The live server needs transactional_db, whose teardown flushes every table, including
    what the migrations created (Wagtail's root page, locales, workflow, collections):
    serialized_rollback restores that before each test. As with any Django
    TransactionTestCase, the database is left empty afterwards (pytest-django runs the
    transactional tests after the others). Loaded per test (about 2 s): keep the browser
    tests few."""
    from django.core.management import call_command

    request.addfinalizer(_warm_content_type_cache)
    call_command("load_demo", stdout=io.StringIO())


def _warm_content_type_cache():
    """Run before the flush. Restoring the serialized data builds Wagtail's
    GroupApprovalTask, whose __init__ calls ContentType.objects.get_for_model(): with a
    cold cache (load_demo clears it, through create_permissions) that inserts a new
    content type into the flushed table, and the restore then fails on
    UNIQUE(app_label, model). A warm cache (same ids as the serialized rows) avoids it."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)
