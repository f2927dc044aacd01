"""voxctl's tool layer: typed tools, their registry, and the desktops they act on."""
