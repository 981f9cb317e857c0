"""The pure core: text in, a Reply out (understanding, places, figures, rendering)."""
