CREATE TABLE "slack_message" (
	"thread_key" text NOT NULL,
	"page" integer NOT NULL,
	"channel" text NOT NULL,
	"ts" text NOT NULL,
	"outbox_id" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "slack_message_thread_key_page_pk" PRIMARY KEY("thread_key","page")
);
