# zsync_mp.board: see DESIGN.md "Layers".
