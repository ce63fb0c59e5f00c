package dev.headroom.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.headroom.settings.Settings.Theme;
import javafx.application.Application;
import javafx.scene.Scene;

/**
 * Light and dark are one AtlantaFX palette switch (semantic colour tokens), plus our own stylesheet that only
 * uses those tokens, so it serves both themes.
 */
final class Themes {
    private static final String APP_CSS = Themes.class.getResource("headroom.css").toExternalForm();

    private Themes() {
    }

    static void apply(Scene scene, Theme theme) {
        Application.setUserAgentStylesheet(theme == Theme.DARK
                ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        if (!scene.getStylesheets().contains(APP_CSS)) {
            scene.getStylesheets().add(APP_CSS);
        }
        scene.getRoot().getStyleClass().removeAll("theme-light", "theme-dark");
        scene.getRoot().getStyleClass().add(theme == Theme.DARK ? "theme-dark" : "theme-light");
    }
}
