# zsync_mp.scopes: see DESIGN.md "Layers".
