"""System checks of the billing's configuration."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("billing", deploy=True)
def payfip_configuration(app_configs=None, **kwargs):
    payfip = settings.PAYFIP
    problems = []
    if payfip.get("MODE") == "W" and payfip.get("URL", "simulator") == "simulator":
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
    return problems
