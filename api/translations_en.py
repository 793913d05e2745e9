"""English for the family API's interface strings (tools/translations_en.py merges it)."""

EN = {
    # app and model
    "API famille": "Family API",
    "compte": "account",
    "nom du jeton": "token name",
    "Par exemple « Téléphone de Marie ».": "For example “Marie's phone”.",
    "empreinte du jeton": "token hash",
    "dernière utilisation le": "last used on",
    "révoqué le": "revoked on",
    "jeton d'accès à l'API": "API access token",
    "jetons d'accès à l'API": "API access tokens",
    # errors
    "Données invalides : vérifiez les champs indiqués.": "Invalid data: check the fields listed.",
    "Date hors des limites (%(min)s – %(max)s).": "Date out of bounds (%(min)s – %(max)s).",
    "La date de fin doit suivre la date de début.": "The end date must follow the start date.",
    "Une période de %(days)d jours au plus.": "A period of %(days)d days at most.",
    "Introuvable : cet objet n'existe pas ou vous n'y avez pas accès.":
        "Not found: this object does not exist or you cannot see it.",
    "Introuvable : cette adresse n'existe pas dans l'API.": "Not found: this address does not exist in the API.",
    "Champ obligatoire.": "Required field.",
    "Nombre entier attendu.": "An integer is expected.",
    "Booléen attendu (true ou false).": "A boolean is expected (true or false).",
    "Date attendue, au format AAAA-MM-JJ.": "A date is expected, as YYYY-MM-DD.",
    "Valeur trop petite.": "Value too small.",
    "Valeur trop grande.": "Value too large.",
    "Texte trop long.": "Text too long.",
    "Texte trop court.": "Text too short.",
    "Texte attendu.": "Text is expected.",
    "Format non valide.": "Invalid format.",
    "Liste attendue.": "A list is expected.",
    "Trop d'éléments.": "Too many items.",
    "Pas assez d'éléments.": "Not enough items.",
    "Valeur non autorisée.": "Value not allowed.",
    "JSON invalide.": "Invalid JSON.",
    "Objet JSON attendu.": "A JSON object is expected.",
    "Authentification requise : un jeton d'accès (Authorization: Bearer …) ou une session du site.":
        "Authentication required: an access token (Authorization: Bearer …) or a session of the site.",
    "Jeton d'accès inconnu.": "Unknown access token.",
    "Ce jeton d'accès a expiré : créez-en un nouveau dans votre espace famille.":
        "This access token has expired: create a new one in your family space.",
    "Ce jeton d'accès a été révoqué.": "This access token has been revoked.",
    "Les comptes du personnel de la commune n'ont pas d'accès à l'API famille.":
        "The commune's staff accounts have no access to the family API.",
    "Trop de requêtes : réessayez dans quelques instants.": "Too many requests: try again in a moment.",
    "Jeton CSRF absent ou invalide : rechargez la page.": "CSRF token missing or invalid: reload the page.",
    "Requête illisible : vérifiez son format.": "Unreadable request: check its format.",
    "Erreur inattendue du serveur : réessayez plus tard.": "Unexpected server error: try again later.",
    "Jours de la semaine de 0 (lundi) à 6 (dimanche).": "Weekdays from 0 (Monday) to 6 (Sunday).",
    "Méthode non permise sur cette adresse : %(allowed)s.": "Method not allowed at this address: %(allowed)s.",
    # history
    "le portail": "the portal",
    # tokens
    "Nom du jeton": "Token name",
    "Pour le reconnaître, par exemple « Téléphone de Marie ».": "To recognise it, for example “Marie's phone”.",
    "Donnez un nom au jeton, par exemple celui de l'appareil.": "Give the token a name, for example the device's.",
    "30 jours": "30 days",
    "90 jours": "90 days",
    "un an": "one year",
    "Le nom du jeton ne peut pas dépasser %(max)d caractères.": "The token's name cannot be longer than %(max)d "
                                                                "characters.",
    "Durée de validité inconnue.": "Unknown validity.",
    "Vous avez déjà %(max)d jetons actifs : révoquez-en un d'abord.":
        "You already have %(max)d active tokens: revoke one first.",
    "Jeton d'accès à l'API créé : « %(name)s »": "API access token created: “%(name)s”",
    "Jeton d'accès à l'API révoqué : « %(name)s »": "API access token revoked: “%(name)s”",
    "Ce jeton ne vous appartient pas.": "This token is not yours.",
    "Le jeton « %(name)s » est révoqué : il ne donne plus accès à l'API.":
        "The token “%(name)s” is revoked: it no longer gives access to the API.",
    "Accès à l'API": "API access",
    "jetons d'accès pour l'application mobile de la commune": "access tokens for the commune's mobile app",
    "Documentation de l'API": "API documentation",
    "Documentation de l'API des familles": "Family API documentation",
    "Créer un jeton d'accès dans mon espace famille": "Create an access token in my family space",
    "Un jeton d'accès permet à une application (par exemple l'application mobile de la commune) d'agir en votre "
    "nom : voir vos enfants, réserver, annuler, payer, envoyer des justificatifs, avec les mêmes règles que sur ce "
    "site. Ne le confiez qu'à une application de confiance ; révoquez-le si vous perdez l'appareil.":
        "An access token lets an application (for example the commune's mobile app) act on your behalf: see your "
        "children, book, cancel, pay, send supporting documents, with the same rules as on this site. Only give it "
        "to an application you trust; revoke it if you lose the device.",
    "Jeton « %(name)s » créé": "Token “%(name)s” created",
    "Copiez-le maintenant : il ne sera plus jamais affiché.": "Copy it now: it will never be shown again.",
    "Votre jeton d'accès": "Your access token",
    "L'application l'envoie dans l'en-tête :": "The application sends it in the header:",
    "Créer un jeton": "Create a token",
    "Créer le jeton": "Create the token",
    "%(max_tokens)s jetons actifs au plus.": "%(max_tokens)s active tokens at most.",
    "Mes jetons": "My tokens",
    "Vos jetons d'accès à l'API": "Your API access tokens",
    "Créé le": "Created on",
    "Dernière utilisation": "Last used",
    "révoqué": "revoked",
    "expiré": "expired",
    "Révoquer<span class=\"visually-hidden\"> le jeton « %(name)s »</span>":
        "Revoke<span class=\"visually-hidden\"> the token “%(name)s”</span>",
    "Aucun jeton pour le moment.": "No token yet.",
    "Jetons d'accès à l'API": "API access tokens",
}
