@echo off
rem Headroom, portable: the app without arguments, the command line with them. Needs only a JDK 17 or later
rem (JAVA_HOME, or java on the PATH). JavaFX for Windows x64 comes with the download (lib\javafx\win).
setlocal
set "HERE=%~dp0"
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" --module-path "%HERE%lib\javafx\win" --add-modules javafx.controls,javafx.swing --enable-native-access=ALL-UNNAMED,javafx.graphics -jar "%HERE%headroom.jar" %*
