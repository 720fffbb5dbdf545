package demo;

final class Greeting {
    static final String TEXT = "hello from gradle";

    private Greeting() {
    }
}
