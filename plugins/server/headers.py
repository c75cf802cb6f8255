"""The security headers of every response, written once for every server configuration."""

from __future__ import annotations

# Only what the site needs: its own scripts, styles and images. Nothing may frame it, no
# <base> may re-point its links, and forms may only be sent to it.
POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
}
# Pagefind site search compiles WebAssembly and fetches its index files.
SEARCH_POLICY = {"script-src": ["'wasm-unsafe-eval'"], "connect-src": ["'self'"]}

PERMISSIONS = ["accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "encrypted-media",
               "geolocation", "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment", "serial",
               "usb", "xr-spatial-tracking"]


def content_security_policy(search: bool = False) -> str:
    policy = {name: list(sources) for name, sources in POLICY.items()}
    for name, sources in (SEARCH_POLICY.items() if search else ()):
        policy.setdefault(name, []).extend(sources)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


def security_headers(settings: dict) -> dict[str, str]:
    """Header name -> value, the same on every response, errors included."""
    return {
        # The search plugin publishes Pagefind's index: its script needs what SEARCH_POLICY adds.
        "Content-Security-Policy": content_security_policy("search" in settings.get("PLUGINS", ())),
        "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": ", ".join(f"{feature}=()" for feature in PERMISSIONS),
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
