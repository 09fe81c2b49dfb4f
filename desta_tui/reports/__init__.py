"""PDF report framework: fonts and styles, the page template with header and footer, flowables."""
