"""The statistics in the Wagtail admin: each role sees its own panels and pages and not the
others'; parents and anonymous visitors never; small groups hidden on the page and in the
CSV/XLSX exports (traced), totals included; the SVG charts are well-formed with text
alternatives; the number of queries does not grow with the number of households."""

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from tests.fixtures_accounts import login_staff
from tests.fixtures_dashboards import paris

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 2)
QUERY = {"periode": "2026-11", "jour": "2026-11-02"}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def world(stats_builder):
    """November 2026: a canteen with a small group of absents (2), an evening care with
    seven children; invoices and payments (5 online, 2 at the desk)."""
    b = stats_builder
    canteen = b.households(7, login=True)
    for family in canteen[:6]:
        b.booking(family, b.canteen, MONDAY)
    for family in canteen[:4]:
        b.attendance(family, b.canteen, MONDAY, "present")
    b.attendance(canteen[6], b.canteen, MONDAY, "present")
    for family in canteen[4:6]:
        b.attendance(family, b.canteen, MONDAY, "absent")
    evening = b.households(7)
    for family in evening:
        b.booking(family, b.evening, MONDAY)
        b.attendance(family, b.evening, MONDAY, "present")
    invoices = [b.invoice(family, 2026, 10, [(b.canteen, "100.00")]) for family in canteen]
    for invoice in invoices[:5]:
        b.payment(invoice, "20.00", "payfip_card", paris(2026, 11, 10))
    for invoice in invoices[5:]:
        b.payment(invoice, "15.00", "cash", paris(2026, 11, 12))
    for family in canteen:
        b.login_event(family.user, paris(2026, 11, 4))
    return b


def theme_url(slug):
    return reverse("dashboards:theme", args=[slug])


def export_url(slug, figure):
    return reverse("dashboards:export", args=[slug, figure])


def denied(response):
    """The admin turns a refusal into a redirection to its home with a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def table_of(body, key):
    """The rows of a figure's table: ``{row heading: [cell texts]}`` plus "Total"."""
    soup = BeautifulSoup(body, "html.parser")
    section = soup.find("section", attrs={"aria-labelledby": f"titre-{key}"})
    assert section is not None, key
    rows = {}
    for tr in section.find("table").find_all("tr")[1:]:
        rows[tr.find("th").get_text(strip=True)] = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
    return rows


# --- Who sees what -------------------------------------------------------------------------


@pytest.mark.parametrize("role, themes", [
    ("agent", ["services"]),
    ("cashier", ["facturation"]),
    ("admin", ["services", "facturation", "portail"]),
    ("communication", []),
    ("legal", []),
])
def test_each_role_sees_its_panels_and_pages_only(client, stats_staff, world, role, themes):
    login_staff(client, stats_staff[role])
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    body = home.content.decode()
    panels = {"services": "Statistiques — Services : fréquentation et demandes",
              "facturation": "Statistiques — Facturation : impayés, montants facturés, paiements",
              "portail": "Statistiques — Usage du portail par les foyers"}
    for slug, heading in panels.items():
        assert (heading in body) == (slug in themes), slug
        response = client.get(theme_url(slug), QUERY)
        assert response.status_code == 200 if slug in themes else denied(response), slug
    figure = {"services": "pointage-du-jour", "facturation": "impayes", "portail": "usage-du-portail"}
    for slug, key in figure.items():
        response = client.get(export_url(slug, key), {**QUERY, "export": "csv"})
        assert response.status_code == 200 if slug in themes else denied(response), slug
    response = client.get(reverse("dashboards:index"))
    assert response.status_code == 200 if themes else denied(response)
    exports = AuditEvent.objects.filter(action=AuditEvent.Action.STAFF_EXPORT)
    assert sorted(event.after["figure"] for event in exports) == sorted(figure[slug] for slug in themes)


def test_the_menu_entry_follows_the_roles(rf, stats_staff):
    from dashboards.wagtail_hooks import statistics_menu_item

    item = statistics_menu_item()
    for role, shown in (("agent", True), ("cashier", True), ("admin", True), ("communication", False),
                        ("legal", False)):
        request = rf.get("/admin/")
        request.user = stats_staff[role]
        assert item.is_shown(request) is shown, role


def test_a_management_group_sees_every_theme(client, stats_staff, world, settings, password):
    from django.contrib.auth.models import Group, Permission

    from accounts.models import User

    settings.PORTAL_STATISTICS_MANAGEMENT_GROUPS = ["Direction"]
    group = Group.objects.create(name="Direction")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    director = User.objects.create_user(email="dgs@example.org", password=password, is_staff=True)
    director.groups.add(group)
    login_staff(client, User.objects.get(pk=director.pk))
    for slug in ("services", "facturation", "portail"):
        assert client.get(theme_url(slug), QUERY).status_code == 200


def test_parents_and_anonymous_never_reach_the_statistics(client, world):
    parent = world.households(1, login=True)[0].user
    urls = [reverse("dashboards:index"), theme_url("services"), theme_url("portail"),
            export_url("portail", "usage-du-portail") + "?export=csv"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/fr/compte/connexion/"), url
    client.force_login(parent)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "/statistiques/" not in response.get("Location", "").split("?")[0], url
        assert b"Foyers" not in response.content
    assert client.get(reverse("wagtailadmin_home")).status_code in (302, 403)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.STAFF_EXPORT).count() == 0


def not_found(response, path):
    """A 404 of the admin: Django's locale middleware first tries the path under /fr/."""
    return response.status_code == 404 or (response.status_code == 302 and response["Location"].split("?")[0] == f"/fr{path}")


def test_an_unknown_theme_or_figure_is_not_found(client, stats_staff):
    login_staff(client, stats_staff["admin"])
    url = "/admin/statistiques/inconnu/"
    assert not_found(client.get(url), url)
    url = export_url("services", "impayes")  # a figure of another theme
    assert not_found(client.get(url, {"export": "csv"}), url)
    url = export_url("services", "pointage-du-jour")
    assert not_found(client.get(url), url)  # no format
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.STAFF_EXPORT).exists()


# --- Small groups on the page and in the exports --------------------------------------------


def test_small_groups_are_hidden_on_the_page_totals_included(client, stats_staff, world):
    login_staff(client, stats_staff["agent"])
    body = client.get(theme_url("services"), QUERY).content.decode()
    attendance = table_of(body, "pointage-du-jour")
    assert attendance["Cantine Jules Ferry"] == ["masqué", "masqué", "< 5"]
    assert attendance["Accueil du soir"] == ["7", "7", "0"]
    # The totals would give the canteen's numbers back (13 - 7): hidden too.
    assert attendance["Total"] == ["masqué", "masqué", "< 5"]
    chart = re.search(r'<svg[^>]*aria-labelledby="graphique-pointage-du-jour-title.*?</svg>', body, re.S).group(0)
    texts = [node.text for node in ET.fromstring(chart).iter(f"{SVG}text")]
    assert "Réservés : masqué" in texts and "Absents : < 5" in texts and "Présents : 7" in texts
    assert not any(text.endswith((" : 6", " : 5", " : 2", " : 13", " : 12")) for text in texts)


def test_the_exports_follow_the_same_rule_and_are_traced(client, stats_staff, world):
    from openpyxl import load_workbook

    cashier = stats_staff["cashier"]
    login_staff(client, cashier)
    response = client.get(export_url("facturation", "paiements-en-ligne-et-guichet"), {**QUERY, "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    assert "statistiques-paiements-en-ligne-et-guichet-2026-11.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ["Mois", "En ligne", "Au guichet", "Part payée en ligne", "Paiements en ligne", "Paiements au guichet"],
        ["novembre 2026", "100.00", "< 5", "masqué", "5", "< 5"],
        ["Total", "100.00", "< 5", "masqué", "5", "< 5"],
    ]
    response = client.get(export_url("facturation", "paiements-en-ligne-et-guichet"), {**QUERY, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Mois", "En ligne", "Au guichet", "Part payée en ligne", "Paiements en ligne", "Paiements au guichet"],
        ["novembre 2026", 100, "< 5", "masqué", 5, "< 5"],
        ["Total", 100, "< 5", "masqué", 5, "< 5"],
    ]
    events = AuditEvent.objects.filter(action=AuditEvent.Action.STAFF_EXPORT, actor=cashier).order_by("id")
    assert [event.after for event in events] == [
        {"figure": "paiements-en-ligne-et-guichet", "periode": "2026-11", "format": "csv"},
        {"figure": "paiements-en-ligne-et-guichet", "periode": "2026-11", "format": "xlsx"},
    ]
    assert all(event.household_id is None and not event.acting_for_family for event in events)


def test_the_attendance_export_hides_the_row_and_the_totals(client, stats_staff, world):
    login_staff(client, stats_staff["agent"])
    response = client.get(export_url("services", "pointage-du-jour"), {**QUERY, "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ["Activité", "Réservés", "Présents", "Absents"],
        ["Cantine Jules Ferry", "masqué", "masqué", "< 5"],
        ["Accueil du soir", "7", "7", "0"],
        ["Total", "masqué", "masqué", "< 5"],
    ]
    assert AuditEvent.objects.get(action=AuditEvent.Action.STAFF_EXPORT).after["jour"] == "2026-11-02"


def test_the_agents_work_queues_are_exact_on_the_page_the_panel_and_the_export(client, stats_staff, world):
    """Operational counts (requests waiting for an agent) are work to do, not statistics:
    one enrolment and two change requests show as 1 and 2, while the statistics of the
    same page still hide their small groups."""
    from accounts.models import ChangeRequest

    b = world
    families = b.households(2)
    b.enrolment(families[0], b.music, status="pending")
    for family in families:
        ChangeRequest.objects.create(household=family, changes={"city": {"before": "A", "after": "B"}})
    login_staff(client, stats_staff["agent"])
    body = client.get(theme_url("services"), QUERY).content.decode()
    pending = table_of(body, "demandes-en-attente")
    assert pending["Inscriptions à valider"] == ["1"]
    assert pending["Demandes de modification de la fiche famille"] == ["2"]
    assert table_of(body, "pointage-du-jour")["Cantine Jules Ferry"] == ["masqué", "masqué", "< 5"]
    response = client.get(export_url("services", "demandes-en-attente"), {**QUERY, "export": "csv"})
    rows = dict(tuple(row) for row in csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows["Inscriptions à valider"] == "1" and rows["Demandes de modification de la fiche famille"] == "2"
    home = client.get("/admin/").content.decode()
    panel = BeautifulSoup(home, "html.parser").get_text(" ", strip=True)
    assert "< 5" not in panel.split("Inscriptions à valider", 1)[1][:40]


def test_the_threshold_is_a_setting(client, stats_staff, world, settings):
    settings.PORTAL_STATISTICS_MIN_GROUP = 2
    login_staff(client, stats_staff["agent"])
    body = client.get(theme_url("services"), QUERY).content.decode()
    assert table_of(body, "pointage-du-jour")["Cantine Jules Ferry"] == ["6", "5", "2"]
    assert table_of(body, "pointage-du-jour")["Total"] == ["13", "12", "2"]


def test_the_pages_show_every_figure_of_their_theme(client, stats_staff, world):
    login_staff(client, stats_staff["admin"])
    expected = {
        "services": ["pointage-du-jour", "occupation-par-semaine", "listes-d-attente", "demandes-en-attente"],
        "facturation": ["impayes", "montants-factures", "paiements-en-ligne-et-guichet"],
        "portail": ["usage-du-portail"],
    }
    for slug, keys in expected.items():
        response = client.get(theme_url(slug), QUERY)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        body = response.content.decode()
        for key in keys:
            assert f'aria-labelledby="titre-{key}"' in body
            assert export_url(slug, key) + "?periode=2026-11" in body.replace("&amp;", "&")
    body = client.get(theme_url("portail"), {"periode": "2026-11"}).content.decode()
    assert table_of(body, "usage-du-portail")["Un responsable s'est connecté ou a réservé en ligne"] == ["7", "50,0 %"]
    # The period selector offers the school years and the months.
    assert '<option value="2026-2027"' in client.get(theme_url("portail")).content.decode()


# --- Charts ---------------------------------------------------------------------------------


def test_every_chart_is_well_formed_svg_with_text_alternatives(client, stats_staff, world):
    login_staff(client, stats_staff["admin"])
    charts = []
    for slug in ("services", "facturation", "portail"):
        body = client.get(theme_url(slug), {"periode": "2026-2027", "jour": "2026-11-02"}).content.decode()
        charts += re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" role="img".*?</svg>', body, re.S)
    assert len(charts) >= 7
    for markup in charts:
        svg = ET.fromstring(markup)  # raises on malformed markup
        assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and "tableau" in desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        # No colour alone: every bar has its value written next to it.
        bars = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("height") == "16"]
        assert len([t for t in svg.iter(f"{SVG}text")]) >= len(bars)


def test_the_chart_of_several_series_uses_patterns_and_a_legend(stats_builder):
    from dashboards.charts import bar_chart
    from dashboards.figures import payments
    from dashboards.periods import month_period
    from dashboards.privacy import protect

    figure = protect(payments(month_period(2026, 11)), 5)
    svg = ET.fromstring(str(bar_chart(figure, "essai")))
    fills = {rect.get("fill") for rect in svg.iter(f"{SVG}rect") if rect.get("width") == "28"}
    assert fills == {"#1d3557", "url(#essai-p1)"}  # plain ink, then a hatch pattern
    assert svg.find(f"{SVG}defs/{SVG}pattern").get("id") == "essai-p1"
    assert [t.text for t in svg.iter(f"{SVG}text")][:2] == ["En ligne", "Au guichet"]


# --- Queries ----------------------------------------------------------------------------------


def populate(builder, count):
    for family in builder.households(count, login=True):
        builder.booking(family, builder.canteen, MONDAY)
        builder.attendance(family, builder.canteen, MONDAY, "present")
        builder.booking(family, builder.canteen, MONDAY + dt.timedelta(days=3), status="waiting")
        builder.enrolment(family, builder.music, status="waiting")
        invoice = builder.invoice(family, 2026, 11, [(builder.canteen, "12.00"), (builder.evening, "3.00")])
        builder.payment(invoice, "5.00", "payfip_card", paris(2026, 11, 20))
        builder.payment(invoice, "5.00", "cash", paris(2026, 11, 21))
        builder.login_event(family.user, paris(2026, 11, 5))


def test_the_number_of_queries_does_not_grow_with_the_households(client, stats_staff, stats_builder):
    login_staff(client, stats_staff["admin"])
    urls = [(reverse("wagtailadmin_home"), {})] + [
        (theme_url(slug), {"periode": period, "jour": "2026-11-02"})
        for slug in ("services", "facturation", "portail") for period in ("2026-11", "2026-2027")]

    def count_queries():
        counts = []
        for url, query in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, query).status_code == 200
            counts.append(len(queries))
        return counts

    populate(stats_builder, 6)
    count_queries()  # caches warmed (site, content types, permissions)
    small = count_queries()
    populate(stats_builder, 12)
    large = count_queries()
    assert large == small, (small, large)


def test_the_demo_commune_shows_the_statistics(client, demo):
    from accounts.models import User

    admin = User.objects.get(email="admin@example.org")
    login_staff(client, admin)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Statistiques — Usage du portail par les foyers" in body
    for slug in ("services", "facturation", "portail"):
        assert client.get(theme_url(slug)).status_code == 200
        assert client.get(theme_url(slug), {"periode": "2026-2027"}).status_code == 200
    # The demo's three households: every group is small.
    body = client.get(theme_url("portail")).content.decode()
    assert set(sum(table_of(body, "usage-du-portail").values(), [])) <= {"< 5", "masqué", "0", ""}
