package io.brook.cli;

import java.io.Console;

/**
 * Where the CLI asks for a password the user types: the console, without echo ({@link #console()}); a stand-in in
 * tests. Never asked when there is no console (a pipe, a cron job): the caller then says where else a password can
 * come from.
 */
interface PasswordPrompt {
  /** Whether there is a terminal to ask on. */
  boolean available();

  /** The typed password, or null at end of input (Ctrl-D). Only called when {@link #available()}. */
  char[] read(String prompt);

  /** {@link System#console()}: no echo, and unavailable when stdin or stdout is not a terminal. */
  static PasswordPrompt console() {
    return new PasswordPrompt() {
      @Override
      public boolean available() {
        return System.console() != null;
      }

      @Override
      public char[] read(String prompt) {
        Console console = System.console();
        return console == null ? null : console.readPassword("%s", prompt);
      }
    };
  }
}
