package dev.headroom.report;

import java.awt.Font;

/**
 * Text sizes in points, one set per medium, so a chart's text sits in the scale of what is around it: on a slide
 * (a chart exported on its own) it must read from the back of a room; in a report its title stays below the
 * report's headings and its labels at the size of the body and the tables.
 */
record TypeScale(float title, float heading, float body, float small, float chartTitle, float axisLabel,
                 float tickLabel, float legend, float footnote) {
    /** A chart exported on its own (PNG, SVG, PDF): slide sizes. */
    static final TypeScale SLIDE = new TypeScale(20, 15, 13, 10, 20, 15, 13, 13, 10);
    /** An A4 report: title 20, headings 14, body 10, tables 8; its charts' text from heading - 2 down to tables. */
    static final TypeScale REPORT = new TypeScale(20, 14, 10, 8, 12, 9, 8, 8, 8);

    static Font plain(float points) {
        return new Font("SansSerif", Font.PLAIN, 1).deriveFont(points);
    }

    static Font bold(float points) {
        return new Font("SansSerif", Font.BOLD, 1).deriveFont(points);
    }
}
