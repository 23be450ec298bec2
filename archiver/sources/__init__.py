"""Remote sources of posts, tried in order. Adding a source means adding one module here.

What a citing document shows of a post is kept too, as a `witness` capture (see witness.py);
it is not asked over the network, so it is not in this registry.
"""

from .base import Reading, Source, Target
from .fxtwitter import FxTwitter
from .oembed import OEmbed
from .syndication import Syndication
from .vxtwitter import VxTwitter
from .wayback import Wayback

ALL: dict[str, Source] = {
    source.name: source for source in (Syndication(), FxTwitter(), VxTwitter(), OEmbed(), Wayback())
}
DEFAULT_ORDER = list(ALL)

__all__ = ["ALL", "DEFAULT_ORDER", "Reading", "Source", "Target"]
