"""Template tags for photos: renditions for <picture> (or a placeholder), absolute image URLs for Open Graph."""

from django import template

from . import renditions, sized

register = template.Library()


@register.simple_tag
def photo_picture(photo, ratio=""):
    """Describe a photo's renditions (srcsets, fallback src, width, height), or None until the worker made them.

    Nothing is made here: a page is a reader's request, and image work belongs to the background worker.
    """
    if not renditions.ready(photo, ratio):
        return None
    return renditions.picture(photo, ratio)


@register.simple_tag
def photo_placeholder(photo, ratio=""):
    """The size of the box that stands in for a photo whose renditions are still being made, or None.

    A photo whose renditions failed shows nothing to readers (the admin says why).
    """
    if not photo or not photo.image or not photo.width:
        return None
    if photo.renditions_state != photo.Renditions.PENDING:
        return None
    return renditions.picture(photo, ratio).fallback


@register.simple_tag(takes_context=True)
def photo_absolute_url(context, photo, ratio=""):
    """The absolute URL of a photo's widest JPEG rendition (Open Graph, JSON-LD), or ""."""
    picture = photo_picture(photo, ratio)
    if picture is None:
        return ""
    url = picture.largest.url
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url


@register.simple_tag
def photo_largest(photo, ratio=""):
    """The widest JPEG rendition (url, width, height) of a photo, or None."""
    picture = photo_picture(photo, ratio)
    return picture.largest if picture else None


@register.simple_tag
def sized_picture(fieldfile):
    """A stored sized JPEG (a page image) as src, WebP twin (when made), width and height; None when absent."""
    if not fieldfile:
        return None
    size = sized.size_from_name(fieldfile.name)
    if size is None:
        return None
    return {"src": fieldfile.url, "webp": sized.webp_url(fieldfile), "width": size[0], "height": size[1]}


def photo_jsonld_images(context, photo):
    """The JSON-LD "image" list of a story's photo (16:9 and its own shape), or None without one."""
    if not photo:
        return None
    urls = [photo_absolute_url(context, photo, ratio) for ratio in ("", "16:9")]
    return [url for url in urls if url] or None
