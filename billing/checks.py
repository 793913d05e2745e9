"""System checks of the billing's configuration (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("billing", deploy=True)
def payfip_configuration(app_configs=None, **kwargs):
    payfip = settings.PAYFIP
    problems = []
    uses_simulator = payfip.get("URL", "simulator") == "simulator"
    if payfip.get("MODE") == "W" and uses_simulator:
        problems.append(Error(
            "PAYFIP_MODE=W (production) but PAYFIP_URL is the local simulator.",
            hint="Set PAYFIP_URL=https://www.payfip.gouv.fr/tpa/services/securite.", id="billing.E001"))
    if payfip.get("MODE") not in ("T", "X", "W"):
        problems.append(Error("PAYFIP_MODE must be T, X or W.", id="billing.E002"))
    numcli = str(payfip.get("CLIENT_NUMBER", ""))
    if not (len(numcli) == 6 and numcli.isdigit()):
        problems.append(Error("PAYFIP_CLIENT_NUMBER must be exactly 6 digits.", id="billing.E003"))
    if payfip.get("MODE") == "W" and numcli == "000000":
        problems.append(Warning("PAYFIP_CLIENT_NUMBER is the placeholder 000000 in production mode.",
                                id="billing.W001"))
    if not settings.DEBUG:
        # A deployed site (DEBUG off): the simulator's payment page would let anybody mark an
        # invoice paid without paying (its answers are trusted like PayFiP's in test mode).
        if payfip.get("SIMULATOR") and payfip.get("MODE") != "W":
            problems.append(Error(
                "The PayFiP simulator answers on this site (DEBUG is off): anybody could mark an invoice "
                "paid without paying.",
                hint="Set PAYFIP_URL, PAYFIP_CLIENT_NUMBER and PAYFIP_MODE=W (the simulator then turns off), "
                     "or PAYFIP_SIMULATOR=false until the commune has its PayFiP contract.",
                id="billing.E004"))
        elif uses_simulator:
            problems.append(Warning(
                "PAYFIP_URL is the local simulator, which is off: online payment cannot work.",
                hint="Set PAYFIP_URL=https://www.payfip.gouv.fr/tpa/services/securite with the client number "
                     "the DGFiP gave the commune.", id="billing.W002"))
    return problems
