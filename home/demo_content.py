"""Texts of the demo commune's pages, written for this project after the articles of
the usage regulation it was specified from (no text is copied from it)."""

import datetime

COMMUNE = "Aulnoy-lez-Valenciennes"

HOME_INTRO = (
    "<p>Le Portail Famille de la ville permet d'inscrire vos enfants aux services municipaux, "
    "de réserver, modifier ou annuler leurs journées dans les délais de chaque activité, de payer "
    "vos factures en ligne et de tenir à jour votre fiche famille, à toute heure.</p>"
)

REGULATION_INTRO = (
    "<p>Ce règlement fixe les conditions dans lesquelles la ville met le Portail Famille à la "
    "disposition des familles qui utilisent au moins l'un de ses services : restauration scolaire, "
    "accueil périscolaire, écoles maternelles et élémentaires, centre de loisirs, Quartier Libre, "
    "écoles municipales culturelles et sportives, location des salles Nymphéas et de l'Union.</p>"
)

REGULATION_BODY = """
<h2>Article 1 — Définitions</h2>
<p><b>Portail Famille</b> : le site internet que la ville exploite et met à la disposition du public.
<b>Identifiant</b> : l'adresse électronique de l'utilisateur. <b>Mot de passe</b> : la suite de
caractères que l'utilisateur choisit lors de son inscription et qui lui donne accès au portail.
<b>Utilisateur</b> : la personne majeure et capable qui utilise les services du portail.</p>

<h2>Article 2 — Objet</h2>
<p>Le présent règlement définit les termes et les conditions dans lesquels la ville fournit les
services du Portail Famille à ses utilisateurs.</p>

<h2>Article 3 — Acceptation du règlement</h2>
<p>L'utilisateur accepte expressément la version du règlement en vigueur le jour où il accède au
portail. La ville peut modifier ce règlement à tout moment ; sa dernière version est toujours
consultable sur le portail. Lorsqu'une nouvelle version est publiée, l'utilisateur en est informé
et doit l'accepter avant toute nouvelle inscription, réservation, paiement ou modification de sa
fiche famille.</p>

<h2>Article 4 — Engagements de l'utilisateur</h2>
<h3>4.1 Identification</h3>
<p>Chaque utilisateur est identifié par une adresse électronique unique associée à un mot de passe.
Cet identifiant porte les droits d'inscription, de réservation et d'annulation pour des enfants
précisément désignés. Il permet aussi de retracer chaque opération : inscription, réservation,
annulation, paiement, autorisation, envoi de document et modification des coordonnées.</p>
<h3>4.2 Sécurité</h3>
<p>L'utilisateur garde son mot de passe confidentiel. Toute opération faite avec son identifiant
est réputée faite par lui ; la ville n'est pas responsable d'un dommage né de la divulgation de ce
mot de passe.</p>
<h3>4.3 Informations de la famille</h3>
<p>La famille de l'utilisateur figure dans la base famille de la ville. L'utilisateur peut consulter
son dossier et vérifier que les services disposent d'informations à jour (téléphones, adresse…).</p>
<h3>4.4 Mise à jour de la fiche famille</h3>
<p>L'utilisateur signale sans délai tout changement de coordonnées, de situation familiale ou des
personnes autorisées à venir chercher ses enfants, directement sur le portail ou auprès d'un agent
du service concerné. Il veille à ce que ces informations soient exactes, complètes et à jour ; la
ville ne répond pas d'un retard dû à des coordonnées périmées qui ne lui ont pas été signalées.</p>

<h2>Article 5 — Engagements de la ville</h2>
<h3>5.1 Information</h3>
<p>La ville informe les familles pour leur permettre un bon usage du portail et reste à leur écoute.</p>
<h3>5.2 Collecte des données</h3>
<p>Les informations recueillies servent uniquement au fonctionnement des services municipaux et à
l'établissement de statistiques.</p>
<h3>5.3 Droit d'accès et de rectification</h3>
<p>Conformément à la loi n° 78-17 du 6 janvier 1978 et au RGPD, l'utilisateur peut accéder aux données
qui le concernent et en demander la rectification, au guichet aux heures d'ouverture ou par courriel
au secrétariat de la mairie. La notice sur les données personnelles, disponible sur le portail, en
donne le détail.</p>
<h3>5.4 Droit d'opposition</h3>
<p>L'utilisateur peut s'opposer à l'usage du portail en ligne et accomplir ses démarches sur papier,
auprès des services de la ville.</p>

<h2>Article 6 — Disponibilité</h2>
<p>La ville met en œuvre les moyens nécessaires pour que le portail soit accessible à toute heure,
dans le cadre d'une obligation de moyens.</p>

<h2>Article 7 — Services accessibles depuis le portail</h2>
<h3>7.1 Paiement des factures en ligne</h3>
<p>Le paiement en ligne passe par le service de paiement de la Direction générale des Finances
publiques (PayFiP), qui assure la sécurité de la transaction et des coordonnées bancaires.</p>
<h3>7.2 Réservation, modification, annulation</h3>
<p>Dans les délais fixés par le règlement intérieur de chaque activité, l'utilisateur peut réserver,
modifier ou annuler : l'accueil périscolaire, la restauration scolaire, les inscriptions scolaires,
les écoles municipales culturelles et sportives, les activités extrascolaires (Quartier Libre,
centre de loisirs, séjours) et la location des salles.</p>
<h3>7.3 Suivi</h3>
<p>L'utilisateur consulte l'historique de ses factures et de ses paiements, et celui des
modifications de réservations.</p>

<h2>Article 8 — Assistance</h2>
<p>En cas de difficulté, l'utilisateur écrit à l'adresse d'assistance indiquée sur la page
« Assistance » du portail.</p>
"""

PRIVACY_BODY = """
<h2>Pourquoi nous traitons vos données</h2>
<p>Pour inscrire vos enfants aux services municipaux, gérer les réservations, facturer et
encaisser, vous informer, et produire des statistiques anonymes. Base légale : l'exécution d'une
mission de service public.</p>
<h2>Quelles données</h2>
<p>Identité et coordonnées des responsables légaux, composition et situation du foyer, quotient
familial, informations utiles à l'accueil des enfants (classe, régime alimentaire, allergies,
projet d'accueil individualisé), réservations, présences, factures et paiements, pièces
justificatives, journal des opérations.</p>
<h2>Combien de temps</h2>
<p>Le temps de l'usage des services, puis selon les durées légales d'archivage des pièces
comptables ; les pièces justificatives sont supprimées à l'expiration de la durée fixée par la
commune.</p>
<h2>Vos droits</h2>
<ul>
<li><b>Accès</b> : téléchargez les données de votre foyer depuis votre espace, ou demandez-les au guichet.</li>
<li><b>Rectification</b> : modifiez votre fiche famille en ligne ou demandez la correction à un agent.</li>
<li><b>Opposition</b> : vous pouvez renoncer au portail et faire toutes vos démarches sur papier.</li>
<li>Vous pouvez saisir la CNIL (www.cnil.fr) si vous estimez que vos droits ne sont pas respectés.</li>
</ul>
<p>Nous répondons à chaque demande dans un délai d'un mois.</p>
"""

ASSISTANCE_BODY = (
    "<p>Un problème de connexion, une réservation refusée que vous ne comprenez pas, une facture "
    "à contester ? Écrivez-nous en précisant le nom de votre foyer et, si possible, le numéro de "
    "facture ou la date concernée. Vous pouvez aussi vous présenter à l'accueil de la mairie aux "
    "heures d'ouverture.</p>"
)

ACCESSIBILITY_BODY = (
    "<p>La ville s'engage à rendre son Portail Famille accessible conformément à l'article 47 de la "
    "loi n° 2005-102 du 11 février 2005. <b>État de conformité</b> : partiellement conforme au "
    "référentiel général d'amélioration de l'accessibilité (RGAA 4.1), en cours d'audit.</p>"
    "<p>Si vous ne parvenez pas à accéder à un contenu ou à un service, contactez l'assistance : "
    "une alternative vous sera proposée. Vous pouvez aussi saisir le Défenseur des droits.</p>"
)

SERVICE_PAGES = {
    "restauration-scolaire": {
        "hours": "<p>Les lundis, mardis, jeudis et vendredis, pendant la pause méridienne.</p>",
        "prices": "<p>Prix du repas selon le quotient familial ; tarif majoré pour un repas pris sans réservation.</p>",
        "documents": "<p>Attestation de quotient familial (CAF ou MSA) ; projet d'accueil individualisé en cas d'allergie.</p>",
        "rules": "<p>Réservez au plus tard 7 jours avant le repas. Un enfant malade peut être désinscrit le matin même jusqu'à 9 h.</p>",
    },
    "accueil-periscolaire": {
        "hours": "<p>Matin : 7 h 30 – 8 h 30. Soir : 16 h 30 – 18 h.</p>",
        "prices": "<p>Tarif à la séance selon le quotient familial.</p>",
        "documents": "<p>Attestation d'assurance, fiche sanitaire.</p>",
        "rules": "<p>Réservation ou annulation au plus tard 2 jours ouvrés avant, à midi (week-ends non comptés).</p>",
    },
    "etablissements-scolaires": {
        "hours": "<p>Inscriptions de janvier à mars pour la rentrée suivante.</p>",
        "prices": "<p>Gratuit.</p>",
        "documents": "<p>Justificatif de domicile de moins de 3 mois, livret de famille, carnet de vaccinations.</p>",
        "rules": "<p>La mairie enregistre la demande, puis l'école procède à l'admission. Demande de dérogation motivée possible.</p>",
    },
    "centre-de-loisirs": {
        "hours": "<p>Le mercredi et pendant les vacances scolaires, à la journée ou à la demi-journée.</p>",
        "prices": "<p>Tarif selon le quotient familial et la résidence.</p>",
        "documents": "<p>Fiche sanitaire, attestation d'assurance.</p>",
        "rules": "<p>Mercredi : réservation au plus tard le jeudi 12 h de la semaine précédente. Vacances : clôture 15 jours pleins avant le premier jour.</p>",
    },
    "quartier-libre": {
        "hours": "<p>Séances en fin de journée et pendant les vacances.</p>",
        "prices": "<p>Adhésion annuelle et participation par sortie.</p>",
        "documents": "<p>Autorisation parentale, fiche sanitaire.</p>",
        "rules": "<p>Places limitées : premier arrivé, premier servi, puis liste d'attente.</p>",
    },
    "ecoles-municipales": {
        "hours": "<p>Cours hebdomadaires de septembre à juin.</p>",
        "prices": "<p>Cotisation annuelle appelée par trimestre ; réduction pour le deuxième enfant et pour un deuxième instrument.</p>",
        "documents": "<p>Certificat médical pour les disciplines sportives.</p>",
        "rules": "<p>Inscription à l'année dans la limite des places ; liste d'attente ensuite.</p>",
    },
    "location-de-salle": {
        "hours": "<p>Salles Nymphéas et de l'Union, sur réservation.</p>",
        "prices": "<p>Résidents 300 €, non-résidents 660 €, caution 550 €. Frais d'annulation à 30 et 10 jours.</p>",
        "documents": "<p>Attestation d'assurance responsabilité civile pour la date louée.</p>",
        "rules": "<p>La demande est validée par les services ; une salle n'est jamais louée deux fois sur un même créneau.</p>",
    },
}

ASSISTANCE_THANKS = (
    "<p>Votre demande a bien été envoyée au service d'assistance de la mairie. Un accusé de réception "
    "vous est envoyé par e-mail ; nous vous répondons dans les meilleurs délais, en général sous deux "
    "jours ouvrés.</p>"
)

PRIVACY_RIGHTS = """
<ul>
<li><b>Accès et portabilité</b> : téléchargez toutes les données de votre foyer depuis votre espace famille,
ou demandez-les à l'accueil de la mairie.</li>
<li><b>Rectification</b> : corrigez votre fiche famille en ligne, ou demandez la correction à un agent.</li>
<li><b>Effacement et limitation</b> : écrivez au délégué à la protection des données ; certaines données
doivent être gardées le temps fixé par la loi (factures, paiements).</li>
<li><b>Opposition</b> : vous pouvez renoncer au portail en ligne et faire toutes vos démarches sur papier.</li>
<li><b>Réclamation</b> : vous pouvez saisir la Commission nationale de l'informatique et des libertés (CNIL).</li>
</ul>
<p>La commune répond à chaque demande dans un délai d'un mois.</p>
"""

NEWS_INTRO = "<p>Les nouvelles des services municipaux : inscriptions, menus, vacances, travaux.</p>"

NEWS = [
    {
        "slug": "inscriptions-centre-de-loisirs-vacances-hiver",
        "title": "Centre de loisirs : les inscriptions des vacances d'hiver sont ouvertes",
        "date": datetime.date(2026, 11, 16),
        "intro": "Réservez les journées de vos enfants au plus tard 15 jours avant le premier jour des vacances.",
        "body": "<p>Les réservations du centre de loisirs pour les vacances d'hiver se font sur le portail, "
                "à la journée ou à la demi-journée. La clôture intervient 15 jours pleins avant le premier "
                "jour de la période.</p>",
    },
    {
        "slug": "paiement-en-ligne-payfip",
        "title": "Payez vos factures en ligne avec PayFiP",
        "date": datetime.date(2026, 10, 5),
        "intro": "Carte bancaire ou prélèvement unique : le paiement en ligne est sécurisé par la DGFiP.",
        "body": "<p>Vos factures de restauration scolaire et d'accueil périscolaire se règlent en ligne, à toute "
                "heure, depuis votre espace famille. Le paiement passe par le service PayFiP de la Direction "
                "générale des Finances publiques.</p>",
    },
]
