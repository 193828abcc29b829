# zsync_mp.kernel: see DESIGN.md "Layers".
