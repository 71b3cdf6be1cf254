"""Where things sit on a map image's page, in inches from the lower-left corner: the header band (title, subtitle,
date), the map frame, the legend beside it, the strip of key figures and the credits line below.

Every image size is about 12 x 8 inches, so one layout fits all; only the page's width and height differ.
"""

from __future__ import annotations

from dataclasses import dataclass

import config

Box = tuple[float, float, float, float]  # left, bottom, width, height in inches

MARGIN = 0.2
HEADER = 0.95  # the title band at the top
CREDITS = 0.34  # the credits line at the bottom
STRIP = 0.6  # the key figures, above the credits
LEGEND_WIDTH = 2.7
GAP = 0.14
DATE_WIDTH = 2.4  # room the header leaves for the date
KEY_FIGURE_GAP = 0.12


@dataclass(frozen=True)
class PageLayout:
    """A page of `width` x `height` inches and the boxes the drawing puts on it."""

    width: float
    height: float

    @classmethod
    def of(cls, size: str, fmt: str = "png") -> PageLayout:
        """The page of an image `size` (config.EXPORT_IMAGE_SIZES); a PDF is the A4 page in points."""
        if fmt == "pdf":
            return cls(config.EXPORT_PDF_PAGE_PT[0] / 72, config.EXPORT_PDF_PAGE_PT[1] / 72)
        width_px, height_px, dpi = config.EXPORT_IMAGE_SIZES[size]
        return cls(width_px / dpi, height_px / dpi)

    @property
    def map_box(self) -> Box:
        """Below the header, above key figures and credits, left of the legend."""
        bottom = MARGIN + CREDITS + STRIP + GAP
        return MARGIN, bottom, self.width - 2 * MARGIN - LEGEND_WIDTH - GAP, self.height - HEADER - bottom

    @property
    def legend_box(self) -> Box:
        """Right of the map frame, as high as it."""
        _, bottom, _, height = self.map_box
        return self.width - MARGIN - LEGEND_WIDTH, bottom, LEGEND_WIDTH, height

    @property
    def text_width(self) -> float:
        """The width between the side margins (the credits line)."""
        return self.width - 2 * MARGIN

    @property
    def title_width(self) -> float:
        """How wide the title and subtitle may run: the date sits right of them."""
        return self.text_width - DATE_WIDTH

    def key_figure_boxes(self, count: int) -> list[Box]:
        """`count` cells side by side in the strip above the credits."""
        width = (self.text_width - KEY_FIGURE_GAP * (count - 1)) / count
        return [(MARGIN + i * (width + KEY_FIGURE_GAP), MARGIN + CREDITS, width, STRIP) for i in range(count)]

    def fraction(self, box: Box) -> list[float]:
        """A box in inches as figure fractions (what matplotlib's add_axes takes)."""
        x, y, w, h = box
        return [x / self.width, y / self.height, w / self.width, h / self.height]

    def from_bottom(self, x: float, y: float) -> tuple[float, float]:
        """A point `x` inches from the left and `y` inches from the bottom, as figure fractions."""
        return x / self.width, y / self.height

    def from_top(self, x: float, y: float) -> tuple[float, float]:
        """A point `x` inches from the left and `y` inches from the top, as figure fractions."""
        return x / self.width, 1 - y / self.height

    def from_right(self, x: float, y: float) -> tuple[float, float]:
        """A point `x` inches from the right and `y` inches from the top, as figure fractions."""
        return 1 - x / self.width, 1 - y / self.height
