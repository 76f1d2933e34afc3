r"""Draw a campaign frame in the built-in frame's style from a few words: pure (no files, no printing).

The built-in frame `dx-2023` is drawn by it too, pixel for pixel as it ships: its words are the `[design]`
table of its frame.toml, and `python -m framer.frames.draw FRAME_FOLDER` draws a folder's frame.png again.

Layout (2048 x 2048 px, centred on the square's centre)::

                        .  -  ~ ~ ~ ~ ~ ~ ~  -  .
                  .   *   T I T L E  (logo)  T I T L E   *  .      SAFE_R 1000: everything that matters
              .            the theme line, smaller            .     is inside (avatars are cut round)
           .        .-~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~-.        .
          :       /                                        \       :  the window: round (r 760) or a
          :      |          the window (transparent)         |      :  rounded square, a gold rim and a
          :       \                                        /       :  white hairline around it (to r 783)
           '.      '-~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~-'       .'
              '.  \\\\\\      1 0 . 1 0 . 2 0 2 7      //////  .'     the band: r 796-992 under the date,
                   ' - .   _   _   _   _   _   _   .  - '             tapering away 95 deg from 6 o'clock

- The title follows the top arc: 125 px, set smaller down to 100 px to fit one line, else on two lines
  (88 down to 64 px, broken at the most even word or where the title has a line break), else refused.
- The theme line sits just inside a one-line title. It goes on the band, under the date, when the title
  takes two lines, when the logo is at the top, or when it does not fit there; alone on the band when
  there is no date. A band that carries nothing is a slim swoosh.
- A logo sits at 12 o'clock on a white badge as deep as the ring; each title line is split around it.
- Faint streams of 1 and 0 orbit the window, hidden by angle around every text and the logo; they fill
  the corners, so the square picture looks finished too.

The texts are planned before a pixel is drawn (`plan.plan`, cheap): every glyph's ink is a few boxes, one
per band of height, checked against SAFE_R, the rim, the band and the other texts. Then each glyph is
rendered SUPERSAMPLE times larger, rotated to its tangent and box-filtered down (`glyphs.Setter.stamp`).

The modules, lowest first: design (the words, and frame.toml's [design]), measures, palette, font and
glyphs, ink and arc (text on a circle), logo, title and band (each text fitted), plan (all of it placed),
paint (the pixels, and `draw_frame`: a design drawn); __main__ draws a folder's frame again.
"""
