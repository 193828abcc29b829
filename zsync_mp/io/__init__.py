# zsync_mp.io: see DESIGN.md "Layers".
