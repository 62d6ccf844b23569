"""Every user-visible string of the replica, one dict per UI language.

To add a language, copy the "en" dict under its code (e.g. "de") and translate the values;
`Scenario.language` picks it. Keys are the same in every language, so a missing one fails
loudly (KeyError) instead of showing English by accident.
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

STRINGS: dict[str, dict[str, Any]] = {"en": EN}


def strings_for(language: str) -> dict[str, Any]:
    """The string table for a UI language; unknown languages are an error, not English."""
    try:
        return STRINGS[language]
    except KeyError:
        raise KeyError(
            f"no UI strings for language {language!r}; available: {', '.join(STRINGS)}"
        ) from None
