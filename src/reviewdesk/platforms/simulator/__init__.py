"""The demo shop's simulated platform: a deterministic world of orders and reviews (docs/demo.md).

generator.py and texts.py are pure; connector.py serves the live stream through the Connector
protocol; demo.py loads the history and installs the demo shop (used by `reviewdesk demo load`).
"""
