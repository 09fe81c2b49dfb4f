"""Packaging glue: ships the top-level assets/ folder inside the wheel as desta_tui.assets."""

from setuptools import find_packages, setup

asset_packages = ["desta_tui.assets", "desta_tui.assets.fonts"]

setup(
    packages=find_packages(include=["desta_tui", "desta_tui.*"]) + asset_packages,
    package_dir={"desta_tui.assets": "assets"},
    package_data={"desta_tui": ["ui/*.tcss"], "desta_tui.assets": ["*", "fonts/*"]},
    include_package_data=True,
)
