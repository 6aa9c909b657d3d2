"""The top layer: pages and commands that read across the practice apps (the staff evaluation
sheet, the demo loader, the shell's navigation). Nothing below imports it."""
