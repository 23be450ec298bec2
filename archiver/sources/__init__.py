"""Remote sources of posts, tried in order. Adding a source means adding one module here."""

from .base import Reading, Source, Target
from .fxtwitter import FxTwitter
from .oembed import OEmbed
from .syndication import Syndication
from .vxtwitter import VxTwitter
from .wayback import Wayback
from .witness import Witness

ALL: dict[str, Source] = {
    source.name: source
    for source in (Syndication(), FxTwitter(), VxTwitter(), OEmbed(), Wayback(), Witness())
}
DEFAULT_ORDER = list(ALL)

__all__ = ["ALL", "DEFAULT_ORDER", "Reading", "Source", "Target"]
