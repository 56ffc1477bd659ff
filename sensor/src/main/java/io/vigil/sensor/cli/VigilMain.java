package io.vigil.sensor.cli;

public final class VigilMain {
    private VigilMain() {
    }

    public static void main(String[] args) {
        System.out.println("vigil");
    }
}
