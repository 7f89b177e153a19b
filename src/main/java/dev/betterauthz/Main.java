package dev.betterauthz;

public final class Main {
  public static void main(String[] args) {}
}
