CREATE TABLE "devices" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "id_blocks" (
	"block" bigserial PRIMARY KEY NOT NULL,
	"device_id" integer NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ops" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"device_id" integer NOT NULL,
	"user_email" text,
	"tbl" text NOT NULL,
	"row_key" text NOT NULL,
	"kind" text NOT NULL,
	"fields" jsonb NOT NULL,
	"at" bigint NOT NULL,
	"pushed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ops_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "team_user_profiles" (
	"email" text NOT NULL,
	"profile_id" bigint NOT NULL,
	CONSTRAINT "team_user_profiles_email_profile_id_pk" PRIMARY KEY("email","profile_id")
);
--> statement-breakpoint
CREATE TABLE "team_users" (
	"email" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"role_name" text NOT NULL,
	"user_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_users_role_name_unique" UNIQUE("role_name")
);
--> statement-breakpoint
CREATE TABLE "workspace" (
	"id" uuid PRIMARY KEY NOT NULL,
	"member_role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "team_user_profiles" ADD CONSTRAINT "team_user_profiles_email_team_users_email_fk" FOREIGN KEY ("email") REFERENCES "public"."team_users"("email") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ops_row_idx" ON "ops" USING btree ("tbl","row_key");