"""Every user-visible string of the replica, one dict per UI language.

To add a language, copy the "en" dict under its code and translate the values;
`Scenario.language` picks it. Keys are the same in every language (a test checks), so a missing
one fails loudly (KeyError) instead of showing English by accident. URLs are not strings: they
are the same in every language, as on LinkedIn.
"""

from __future__ import annotations

from typing import Any

EN: dict[str, Any] = {
    "brand": "LinkedIn",
    "title_suffix": " | LinkedIn",
    # Global navigation (desktop top bar)
    "nav.primary": "Primary Navigation",
    "nav.search": "Search",
    "nav.home": "Home",
    "nav.network": "My Network",
    "nav.jobs": "Jobs",
    "nav.messaging": "Messaging",
    "nav.notifications": "Notifications",
    "nav.me": "Me",
    "nav.business": "For Business",
    # The Me menu
    "me.view_profile": "View Profile",
    "me.account": "Account",
    "me.settings": "Settings & Privacy",
    "me.help": "Help",
    "me.language": "Language",
    "me.manage": "Manage",
    "me.posts": "Posts & Activity",
    "me.job_posting": "Job Posting Account",
    "me.sign_out": "Sign Out",
    "member.headline": "Product Designer at Example Corp",
    "member.location": "Dublin, Ireland",
    # Mobile top bar and drawer
    "m.open_menu": "Open navigation menu",
    "m.close_menu": "Close navigation menu",
    "m.drawer": "Navigation drawer",
    "m.view_profile": "View profile",
    "m.settings": "Settings",
    "m.help": "Help",
    "m.sign_out": "Sign out",
    "m.post": "Post",
    # Feed
    "feed.title": "Feed",
    "feed.start_post": "Start a post",
    "feed.profile_viewers": "Profile viewers",
    "feed.post_impressions": "Post impressions",
    "feed.news": "LinkedIn News",
    "feed.news_items": [
        "Hiring picks up in tech",
        "The four-day week, a year on",
        "What recruiters look for now",
    ],
    "feed.posts": [
        (
            "Alex Rivera",
            "Engineering Manager at Northwind",
            "Shipped our accessibility audit today. Small fixes, big difference: labels on "
            "every control, and focus you can actually see.",
        ),
        (
            "Priya Shah",
            "Data Protection Officer",
            "Reminder for the weekend: your account settings are worth a look now and then. "
            "Defaults change.",
        ),
    ],
    "feed.like": "Like",
    "feed.comment": "Comment",
    "feed.repost": "Repost",
    "feed.send": "Send",
    # Settings
    "settings.title": "Settings",
    "settings.nav": "Settings",
    "settings.back": "Back",
    "settings.on": "On",
    "settings.off": "Off",
    "settings.saved": "Your setting was updated.",
    "settings.save_failed": "Something went wrong. Please try again.",
    "settings.placeholder": "There is nothing to change on this page.",
    "settings.learn_more": "Learn more",
    "footer.help": "Help Center",
    "footer.privacy": "Privacy Policy",
    "footer.careers": "Careers",
    "footer.corp": "LinkedIn Corporation © 2026",
    "category": {
        "account": "Account preferences",
        "sign-in-and-security": "Sign in & security",
        "visibility": "Visibility",
        "privacy": "Data privacy",
        "ads": "Advertising data",
        "notifications": "Notifications",
    },
    "section": {
        "profile-information": "Profile information",
        "display": "Display",
        "general-preferences": "General preferences",
        "account-access": "Account access",
        "profile-network": "Visibility of your profile & network",
        "data-uses": "How LinkedIn uses your data",
        "who-can-reach-you": "Who can reach you",
        "profile-data": "Profile data",
        "third-party-data": "Third-party data",
        "notifications-received": "Notifications you receive",
        # Only with Scenario.reordered_menus: where Data privacy's AI row moves to.
        "other-applications": "Other applications",
    },
    "row": {
        "name-location-industry": "Name, location, and industry",
        "demographic-info": "Personal demographic information",
        "verifications": "Verifications",
        "dark-mode": "Dark mode",
        "site-language": "Language",
        "content-language": "Content language",
        "autoplay-videos": "Autoplay videos",
        "email-addresses": "Email addresses",
        "phone-numbers": "Phone numbers",
        "change-password": "Change password",
        "where-signed-in": "Where you’re signed in",
        "two-step-verification": "Two-step verification",
        "profile-viewing-options": "Profile viewing options",
        "edit-public-profile": "Edit your public profile",
        "email-visibility": "Who can see or download your email address",
        "connections-visibility": "Connections",
        "manage-data-and-activity": "Manage your data and activity",
        "download-your-data": "Get a copy of your data",
        "search-history": "Search history",
        "invitations": "Invitations to connect",
        "messages": "Messages",
        "research-invites": "Research invites",
        "searching-for-a-job": "Searching for a job",
        "connecting-with-others": "Connecting with others",
        "posting-and-commenting": "Posting and commenting",
        "messaging-notifications": "Messaging",
    },
    "row_value": {
        "dark-mode": "Device settings",
        "site-language": "English",
        "autoplay-videos": "On",
        "where-signed-in": "1 session",
        "two-step-verification": "Off",
    },
    # Switch-type settings: page title, question, switch label, helper text.
    "setting": {
        "allowDataForGenerativeAI": {
            "title": "Data for Generative AI Improvement",
            "question": (
                "Can LinkedIn use your personal data and content you create on LinkedIn to "
                "train generative AI models that create content?"
            ),
            "label": "Use my data for training content creation AI models",
            # `Scenario.renamed_switch`: the same words, and more.
            "label_renamed": "Use my data for training content creation AI models at LinkedIn "
            "and its affiliates",
            "help": (
                "This setting applies to training generative AI models that create content, "
                "such as suggested posts or messages. Turning it off stops future training; "
                "it doesn’t affect training that has already taken place. We don’t use the "
                "content of your private messages to train these models."
            ),
        },
        "allowAnonymizedDataResearch": {
            "title": "Social, economic, and workplace research",
            "question": (
                "Can LinkedIn use and share your data with trusted third parties for social, "
                "economic, and workplace research?"
            ),
            "label": "Allow use of my data for social, economic, and workplace research",
            "help": (
                "Research partners only get data that doesn’t identify you directly, under "
                "contracts that limit how they use it."
            ),
        },
        "shareDataWithTrustedPartners": {
            "title": "Data sharing with select partners",
            "question": "Can LinkedIn share your data with select partners for advertising?",
            "label": "Share my data with select partners",
            "help": "Partners include Microsoft affiliates that show ads on our behalf.",
        },
        "allowLinkedInAudienceNetwork": {
            "title": "Ads beyond LinkedIn",
            "question": "Can LinkedIn show you relevant ads on other websites and apps?",
            "label": "Show me ads beyond LinkedIn",
            "help": "You may still see ads on other sites; they just won’t be based on LinkedIn.",
        },
        "allowUseOfThirdPartyData": {
            "title": "Interactions with businesses",
            "question": (
                "Can LinkedIn use information that businesses share with us to show you ads?"
            ),
            "label": "Use my interactions with businesses for ads",
            "help": "Businesses may share data such as website visits or email sign-ups.",
        },
        "allowIpToPersonalizeAds": {
            "title": "Ads by inferred location",
            "question": "Can LinkedIn use your inferred location to show you relevant ads?",
            "label": "Use my inferred location for ads",
            "help": "We infer your location from your IP address and activity.",
        },
        "allowAdsByAge": {
            "title": "Ads by age range",
            "question": "Can LinkedIn use your age range to show you relevant ads?",
            "label": "Use my age range for ads",
            "help": "Your age range is inferred from your profile.",
        },
        "allowAdsByGender": {
            "title": "Ads by inferred gender",
            "question": "Can LinkedIn use your inferred gender to show you relevant ads?",
            "label": "Use my inferred gender for ads",
            "help": "We infer gender from your profile and activity.",
        },
        "allowConversionTrackings": {
            "title": "Data for ad insights",
            "question": "Can LinkedIn use your actions on advertisers’ sites to measure ads?",
            "label": "Use my actions for ad insights",
            "help": "Advertisers see aggregated results, never who you are.",
        },
        "allowProfileAndActivityDataForMarketingAds": {
            "title": "Marketing promotions",
            "question": "Can LinkedIn use your profile and activity data for its own marketing?",
            "label": "Use my profile and activity data for LinkedIn’s marketing",
            "help": "This covers ads for LinkedIn’s own products shown on other sites.",
        },
        "adsPrivacyAllowInterestsAndBehaviors": {
            "title": "Interests and traits",
            "question": (
                "Can LinkedIn use the interests and traits it infers about you to show you ads?"
            ),
            "label": "Use my inferred interests and traits for ads",
            "help": "Interests come from your profile and activity, such as pages you follow.",
        },
        "nonEssentialCookieConsent": {
            "title": "Non-essential cookies",
            "question": "Can LinkedIn and its partners use non-essential cookies on LinkedIn?",
            "label": "Allow non-essential cookies",
            "help": "Essential cookies, which keep you signed in and secure, are always used.",
        },
    },
    # Promotion dialog
    "promo.title": "Try Premium for free",
    "promo.text": (
        "Get hired faster, see who viewed your profile and message recruiters with "
        "1 month of Premium for free."
    ),
    "promo.try": "Try now",
    "promo.dismiss": "Dismiss",
    "premium.title": "LinkedIn Premium",
    "premium.text": "Premium plans are not part of this page.",
    # Login, authwall, checkpoint, logged-out home
    "login.page_title": "LinkedIn Login, Sign in",
    "login.title": "Sign in",
    "login.subtitle": "Stay updated on your professional world",
    "login.email": "Email or phone",
    "login.password": "Password",
    "login.forgot": "Forgot password?",
    "login.submit": "Sign in",
    "login.or": "or",
    "login.app_hint": "You can also approve this sign-in from the LinkedIn app on your phone.",
    "login.waiting": "Waiting for approval…",
    "login.new": "New to LinkedIn?",
    "login.join": "Join now",
    "login.error_empty": "Please enter an email address or phone number and a password.",
    "authwall.page_title": "Sign Up",
    "authwall.title": "Join LinkedIn",
    "authwall.text": (
        "Sign in or join to see this page and make the most of your professional life."
    ),
    "authwall.sign_in": "Sign in",
    "authwall.join": "Join now",
    "signup.title": "Make the most of your professional life",
    "signup.text": "New accounts can’t be created here. Sign in instead.",
    "home.title": "Welcome to your professional community",
    "home.sign_in": "Sign in",
    "checkpoint.page_title": "Security Verification",
    "checkpoint.title": "Let's do a quick security check",
    "checkpoint.text": "We noticed some unusual activity. Please confirm it’s really you.",
    "checkpoint.verify": "Verify",
    # Not found
    "notfound.page_title": "Page not found",
    "notfound.title": "Page not found",
    "notfound.text": (
        "Uh oh, this page doesn’t exist. Please check your URL or return to your LinkedIn feed."
    ),
    "notfound.home": "Go to your feed",
    # Generic member placeholder pages (My Network, Jobs, profile, help, ...)
    "placeholder.text": "This page has no content in this version of the site.",
    "page.network": "My Network",
    "page.jobs": "Jobs",
    "page.messaging": "Messaging",
    "page.notifications": "Notifications",
    "page.profile": "Profile",
    "page.help": "Help Center",
    "page.activity": "Posts & Activity",
    "page.job_posting": "Job Posting Account",
    "page.language": "Language",
}

#: German, as LinkedIn words it (formal "Sie"). Where a name matters to a flow: "Ich" (Me),
#: "Einstellungen & Datenschutz" (Settings & Privacy), "Datenschutz" (Data privacy),
#: "Daten zur Verbesserung generativer KI" (the setting), "Ein"/"Aus" (On/Off).
DE: dict[str, Any] = {
    "brand": "LinkedIn",
    "title_suffix": " | LinkedIn",
    # Global navigation (desktop top bar)
    "nav.primary": "Hauptnavigation",
    "nav.search": "Suche",
    "nav.home": "Startseite",
    "nav.network": "Mein Netzwerk",
    "nav.jobs": "Jobs",
    "nav.messaging": "Nachrichten",
    "nav.notifications": "Mitteilungen",
    "nav.me": "Ich",
    "nav.business": "Für Unternehmen",
    # The Me menu
    "me.view_profile": "Profil anzeigen",
    "me.account": "Konto",
    "me.settings": "Einstellungen & Datenschutz",
    "me.help": "Hilfe",
    "me.language": "Sprache",
    "me.manage": "Verwalten",
    "me.posts": "Beiträge & Aktivitäten",
    "me.job_posting": "Konto für Stellenanzeigen",
    "me.sign_out": "Abmelden",
    "member.headline": "Produktdesignerin bei Example Corp",
    "member.location": "Dublin, Irland",
    # Mobile top bar and drawer
    "m.open_menu": "Navigationsmenü öffnen",
    "m.close_menu": "Navigationsmenü schließen",
    "m.drawer": "Navigationsleiste",
    "m.view_profile": "Profil anzeigen",
    "m.settings": "Einstellungen",
    "m.help": "Hilfe",
    "m.sign_out": "Abmelden",
    "m.post": "Beitrag",
    # Feed
    "feed.title": "Feed",
    "feed.start_post": "Beitrag beginnen",
    "feed.profile_viewers": "Profilbesucher",
    "feed.post_impressions": "Beitragsimpressionen",
    "feed.news": "LinkedIn News",
    "feed.news_items": [
        "Tech-Branche stellt wieder mehr ein",
        "Die Vier-Tage-Woche, ein Jahr danach",
        "Worauf Recruiter jetzt achten",
    ],
    "feed.posts": [
        (
            "Alex Rivera",
            "Engineering Manager bei Northwind",
            "Heute haben wir unser Barrierefreiheits-Audit abgeschlossen. Kleine Korrekturen, "
            "große Wirkung: Beschriftungen an jedem Bedienelement und ein Fokus, den man "
            "wirklich sieht.",
        ),
        (
            "Priya Shah",
            "Datenschutzbeauftragte",
            "Erinnerung fürs Wochenende: Ein Blick in die Kontoeinstellungen lohnt sich ab und "
            "zu. Voreinstellungen ändern sich.",
        ),
    ],
    "feed.like": "Gefällt mir",
    "feed.comment": "Kommentieren",
    "feed.repost": "Reposten",
    "feed.send": "Senden",
    # Settings
    "settings.title": "Einstellungen",
    "settings.nav": "Einstellungen",
    "settings.back": "Zurück",
    "settings.on": "Ein",
    "settings.off": "Aus",
    "settings.saved": "Ihre Einstellung wurde aktualisiert.",
    "settings.save_failed": "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.",
    "settings.placeholder": "Auf dieser Seite gibt es nichts zu ändern.",
    "settings.learn_more": "Weitere Informationen",
    "footer.help": "Hilfe",
    "footer.privacy": "Datenschutzrichtlinie",
    "footer.careers": "Karriere",
    "footer.corp": "LinkedIn Corporation © 2026",
    "category": {
        "account": "Kontoeinstellungen",
        "sign-in-and-security": "Anmeldung & Sicherheit",
        "visibility": "Sichtbarkeit",
        "privacy": "Datenschutz",
        "ads": "Werbedaten",
        "notifications": "Mitteilungen",
    },
    "section": {
        "profile-information": "Profilinformationen",
        "display": "Anzeige",
        "general-preferences": "Allgemeine Einstellungen",
        "account-access": "Kontozugriff",
        "profile-network": "Sichtbarkeit Ihres Profils & Netzwerks",
        "data-uses": "Wie LinkedIn Ihre Daten nutzt",
        "who-can-reach-you": "Wer Sie kontaktieren kann",
        "profile-data": "Profildaten",
        "third-party-data": "Daten von Dritten",
        "notifications-received": "Mitteilungen, die Sie erhalten",
        "other-applications": "Andere Anwendungen",
    },
    "row": {
        "name-location-industry": "Name, Standort und Branche",
        "demographic-info": "Persönliche demografische Angaben",
        "verifications": "Verifizierungen",
        "dark-mode": "Dunkelmodus",
        "site-language": "Sprache",
        "content-language": "Sprache der Inhalte",
        "autoplay-videos": "Videos automatisch abspielen",
        "email-addresses": "E-Mail-Adressen",
        "phone-numbers": "Telefonnummern",
        "change-password": "Passwort ändern",
        "where-signed-in": "Wo Sie angemeldet sind",
        "two-step-verification": "Zweistufige Verifizierung",
        "profile-viewing-options": "Optionen für das Anzeigen von Profilen",
        "edit-public-profile": "Öffentliches Profil bearbeiten",
        "email-visibility": "Wer Ihre E-Mail-Adresse sehen oder herunterladen kann",
        "connections-visibility": "Kontakte",
        "manage-data-and-activity": "Ihre Daten und Aktivitäten verwalten",
        "download-your-data": "Kopie Ihrer Daten anfordern",
        "search-history": "Suchverlauf",
        "invitations": "Kontaktanfragen",
        "messages": "Nachrichten",
        "research-invites": "Einladungen zu Studien",
        "searching-for-a-job": "Jobsuche",
        "connecting-with-others": "Vernetzen mit anderen",
        "posting-and-commenting": "Posten und Kommentieren",
        "messaging-notifications": "Nachrichten",
    },
    "row_value": {
        "dark-mode": "Geräteeinstellungen",
        "site-language": "Deutsch",
        "autoplay-videos": "Ein",
        "where-signed-in": "1 Sitzung",
        "two-step-verification": "Aus",
    },
    # Switch-type settings: page title, question, switch label, helper text.
    "setting": {
        "allowDataForGenerativeAI": {
            "title": "Daten zur Verbesserung generativer KI",
            "question": (
                "Darf LinkedIn Ihre personenbezogenen Daten und die Inhalte, die Sie auf "
                "LinkedIn erstellen, verwenden, um generative KI-Modelle zu trainieren, die "
                "Inhalte erstellen?"
            ),
            "label": "Meine Daten für das Training von KI-Modellen zur Erstellung von Inhalten "
            "verwenden",
            "label_renamed": "Meine Daten für das Training von KI-Modellen zur Erstellung von "
            "Inhalten bei LinkedIn und verbundenen Unternehmen verwenden",
            "help": (
                "Diese Einstellung gilt für das Training generativer KI-Modelle, die Inhalte "
                "erstellen, etwa vorgeschlagene Beiträge oder Nachrichten. Wenn Sie sie "
                "ausschalten, endet das künftige Training; bereits erfolgtes Training bleibt "
                "davon unberührt. Den Inhalt Ihrer privaten Nachrichten verwenden wir nicht "
                "für das Training dieser Modelle."
            ),
        },
        "allowAnonymizedDataResearch": {
            "title": "Sozial-, Wirtschafts- und Arbeitsplatzforschung",
            "question": (
                "Darf LinkedIn Ihre Daten für Sozial-, Wirtschafts- und Arbeitsplatzforschung "
                "verwenden und mit vertrauenswürdigen Dritten teilen?"
            ),
            "label": "Verwendung meiner Daten für Sozial-, Wirtschafts- und "
            "Arbeitsplatzforschung erlauben",
            "help": (
                "Forschungspartner erhalten nur Daten, die Sie nicht direkt identifizieren, "
                "und nur unter Verträgen, die ihre Verwendung einschränken."
            ),
        },
        "shareDataWithTrustedPartners": {
            "title": "Datenweitergabe an ausgewählte Partner",
            "question": "Darf LinkedIn Ihre Daten für Werbung an ausgewählte Partner weitergeben?",
            "label": "Meine Daten an ausgewählte Partner weitergeben",
            "help": "Zu den Partnern gehören Microsoft-Tochterunternehmen, die in unserem "
            "Auftrag Anzeigen schalten.",
        },
        "allowLinkedInAudienceNetwork": {
            "title": "Anzeigen außerhalb von LinkedIn",
            "question": "Darf LinkedIn Ihnen auf anderen Websites und in Apps relevante "
            "Anzeigen zeigen?",
            "label": "Mir Anzeigen außerhalb von LinkedIn zeigen",
            "help": "Sie sehen auf anderen Websites womöglich weiterhin Anzeigen; sie beruhen "
            "dann nur nicht auf LinkedIn.",
        },
        "allowUseOfThirdPartyData": {
            "title": "Interaktionen mit Unternehmen",
            "question": (
                "Darf LinkedIn Informationen, die Unternehmen mit uns teilen, verwenden, um "
                "Ihnen Anzeigen zu zeigen?"
            ),
            "label": "Meine Interaktionen mit Unternehmen für Anzeigen verwenden",
            "help": "Unternehmen teilen etwa Website-Besuche oder E-Mail-Anmeldungen.",
        },
        "allowIpToPersonalizeAds": {
            "title": "Anzeigen nach abgeleitetem Standort",
            "question": "Darf LinkedIn Ihren abgeleiteten Standort verwenden, um Ihnen "
            "relevante Anzeigen zu zeigen?",
            "label": "Meinen abgeleiteten Standort für Anzeigen verwenden",
            "help": "Wir leiten Ihren Standort aus Ihrer IP-Adresse und Ihren Aktivitäten ab.",
        },
        "allowAdsByAge": {
            "title": "Anzeigen nach Altersgruppe",
            "question": "Darf LinkedIn Ihre Altersgruppe verwenden, um Ihnen relevante "
            "Anzeigen zu zeigen?",
            "label": "Meine Altersgruppe für Anzeigen verwenden",
            "help": "Ihre Altersgruppe wird aus Ihrem Profil abgeleitet.",
        },
        "allowAdsByGender": {
            "title": "Anzeigen nach abgeleitetem Geschlecht",
            "question": "Darf LinkedIn Ihr abgeleitetes Geschlecht verwenden, um Ihnen "
            "relevante Anzeigen zu zeigen?",
            "label": "Mein abgeleitetes Geschlecht für Anzeigen verwenden",
            "help": "Wir leiten das Geschlecht aus Ihrem Profil und Ihren Aktivitäten ab.",
        },
        "allowConversionTrackings": {
            "title": "Daten für Anzeigen-Insights",
            "question": "Darf LinkedIn Ihre Aktionen auf Websites von Werbetreibenden "
            "verwenden, um Anzeigen zu messen?",
            "label": "Meine Aktionen für Anzeigen-Insights verwenden",
            "help": "Werbetreibende sehen zusammengefasste Ergebnisse, nie, wer Sie sind.",
        },
        "allowProfileAndActivityDataForMarketingAds": {
            "title": "Marketingaktionen",
            "question": "Darf LinkedIn Ihre Profil- und Aktivitätsdaten für sein eigenes "
            "Marketing verwenden?",
            "label": "Meine Profil- und Aktivitätsdaten für das Marketing von LinkedIn verwenden",
            "help": "Dies betrifft Anzeigen für LinkedIns eigene Produkte auf anderen Websites.",
        },
        "adsPrivacyAllowInterestsAndBehaviors": {
            "title": "Interessen und Merkmale",
            "question": (
                "Darf LinkedIn die Interessen und Merkmale, die es über Sie ableitet, für "
                "Anzeigen verwenden?"
            ),
            "label": "Meine abgeleiteten Interessen und Merkmale für Anzeigen verwenden",
            "help": "Interessen stammen aus Ihrem Profil und Ihren Aktivitäten.",
        },
        "nonEssentialCookieConsent": {
            "title": "Nicht notwendige Cookies",
            "question": "Dürfen LinkedIn und seine Partner nicht notwendige Cookies verwenden?",
            "label": "Nicht notwendige Cookies zulassen",
            "help": (
                "Notwendige Cookies, die Sie angemeldet und sicher halten, werden immer verwendet."
            ),
        },
    },
    # Promotion dialog
    "promo.title": "Premium gratis testen",
    "promo.text": (
        "Finden Sie schneller einen Job, sehen Sie, wer Ihr Profil angesehen hat, und "
        "schreiben Sie Recruitern – 1 Monat Premium gratis."
    ),
    "promo.try": "Jetzt testen",
    "promo.dismiss": "Schließen",
    "premium.title": "LinkedIn Premium",
    "premium.text": "Premium-Angebote sind nicht Teil dieser Seite.",
    # Login, authwall, checkpoint, logged-out home
    "login.page_title": "LinkedIn Login, Einloggen",
    "login.title": "Einloggen",
    "login.subtitle": "Bleiben Sie über Ihre berufliche Welt auf dem Laufenden",
    "login.email": "E-Mail-Adresse oder Telefon",
    "login.password": "Passwort",
    "login.forgot": "Passwort vergessen?",
    "login.submit": "Einloggen",
    "login.or": "oder",
    "login.app_hint": "Sie können diese Anmeldung auch in der LinkedIn App auf Ihrem "
    "Smartphone bestätigen.",
    "login.waiting": "Warten auf Bestätigung…",
    "login.new": "Neu bei LinkedIn?",
    "login.join": "Jetzt Mitglied werden",
    "login.error_empty": "Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer und ein "
    "Passwort ein.",
    "authwall.page_title": "Registrieren",
    "authwall.title": "Bei LinkedIn anmelden",
    "authwall.text": (
        "Loggen Sie sich ein oder werden Sie Mitglied, um diese Seite zu sehen und das Beste "
        "aus Ihrem Berufsleben zu machen."
    ),
    "authwall.sign_in": "Einloggen",
    "authwall.join": "Jetzt Mitglied werden",
    "signup.title": "Holen Sie das Beste aus Ihrem Berufsleben heraus",
    "signup.text": "Neue Konten können hier nicht erstellt werden. Loggen Sie sich stattdessen "
    "ein.",
    "home.title": "Willkommen in Ihrer beruflichen Community",
    "home.sign_in": "Einloggen",
    "checkpoint.page_title": "Sicherheitsüberprüfung",
    "checkpoint.title": "Wir führen eine kurze Sicherheitsprüfung durch",
    "checkpoint.text": "Uns sind ungewöhnliche Aktivitäten aufgefallen. Bitte bestätigen Sie, "
    "dass Sie es wirklich sind.",
    "checkpoint.verify": "Bestätigen",
    # Not found
    "notfound.page_title": "Seite nicht gefunden",
    "notfound.title": "Seite nicht gefunden",
    "notfound.text": (
        "Hoppla! Diese Seite existiert nicht. Bitte überprüfen Sie die URL oder kehren Sie zu "
        "Ihrem LinkedIn Feed zurück."
    ),
    "notfound.home": "Zu Ihrem Feed",
    # Generic member placeholder pages (My Network, Jobs, profile, help, ...)
    "placeholder.text": "Diese Seite hat in dieser Version der Website keinen Inhalt.",
    "page.network": "Mein Netzwerk",
    "page.jobs": "Jobs",
    "page.messaging": "Nachrichten",
    "page.notifications": "Mitteilungen",
    "page.profile": "Profil",
    "page.help": "Hilfebereich",
    "page.activity": "Beiträge & Aktivitäten",
    "page.job_posting": "Konto für Stellenanzeigen",
    "page.language": "Sprache",
}

STRINGS: dict[str, dict[str, Any]] = {"en": EN, "de": DE}


def strings_for(language: str) -> dict[str, Any]:
    """The string table for a UI language; unknown languages are an error, not English."""
    try:
        return STRINGS[language]
    except KeyError:
        raise KeyError(
            f"no UI strings for language {language!r}; available: {', '.join(STRINGS)}"
        ) from None
