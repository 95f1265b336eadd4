"""The Solara dashboard: Explore (SolaraViz), Compare and Learn views. Start it with `wijkteam dashboard`."""
