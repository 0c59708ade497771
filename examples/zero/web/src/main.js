import "@zero/ui";
