# zsync_mp.sync: see DESIGN.md "Layers".
