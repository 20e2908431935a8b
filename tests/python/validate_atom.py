"""Read the site's Atom feed (changes.atom) with feedparser, as a feed reader
would, and print a JSON summary: the self link and each entry's links.
Fails (exit 1) when feedparser finds the feed malformed."""
import json
import sys

import feedparser

feed = feedparser.parse(sys.argv[1])
if feed.bozo:
    sys.exit(f"malformed feed: {feed.bozo_exception}")
if feed.version != "atom10":
    sys.exit(f"not Atom 1.0: {feed.version}")
links = feed.feed.get("links", [])
print(json.dumps({
    "self": [l["href"] for l in links if l.get("rel") == "self"],
    "entries": [
        {
            "id": e.id,
            "alternate": [l["href"] for l in e.links if l.get("rel") == "alternate"],
        }
        for e in feed.entries
    ],
}))
